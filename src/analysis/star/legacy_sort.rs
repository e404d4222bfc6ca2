//! The unstable sort of .NET Framework 4 (`Array.Sort`: depth-limited quicksort, heapsort below
//! the depth limit), which osu! lazer keeps as `LegacySortHelper` to order mania objects for
//! difficulty calculation the way osu!stable did. Equal keys come out in the order this
//! algorithm leaves them, and the star rating depends on that order (chord notes see each other
//! as "previous" notes), so no other sort will do.
//!
//! rosu-pp's port compares against the element at the pivot's index rather than a copy of the
//! pivot, which sorts some inputs differently (or not at all); on input already sorted by time,
//! the only input it is ever given here and in osu!, both leave the same order.

/// How deep the quicksort recurses before the rest is heapsorted.
const QUICKSORT_DEPTH_LIMIT: u32 = 32;

/// Sorts `items` by `key` exactly as .NET 4's unstable sort does.
pub(super) fn sort_by_key<T, K: Ord + Copy>(items: &mut [T], key: impl Fn(&T) -> K) {
    if items.len() > 1 {
        let last = items.len() - 1;
        quicksort(items, 0, last as isize, &key, QUICKSORT_DEPTH_LIMIT);
    }
}

/// Sorts `items[left..=right]`; indices are signed because `right` may step below `left`.
fn quicksort<T, K: Ord + Copy>(
    items: &mut [T],
    mut left: isize,
    mut right: isize,
    key: &impl Fn(&T) -> K,
    mut depth: u32,
) {
    let at = |items: &[T], i: isize| key(&items[i as usize]);
    loop {
        if depth == 0 {
            heapsort(&mut items[left as usize..=right as usize], key);
            return;
        }
        let (mut i, mut j) = (left, right);
        let middle = i + ((j - i) >> 1);
        // Median of three: low, middle and high put in order first.
        order_pair(items, i, middle, key);
        order_pair(items, i, j, key);
        order_pair(items, middle, j, key);
        let pivot = at(items, middle);
        loop {
            while at(items, i) < pivot {
                i += 1;
            }
            while pivot < at(items, j) {
                j -= 1;
            }
            if i > j {
                break;
            }
            if i < j {
                items.swap(i as usize, j as usize);
            }
            i += 1;
            j -= 1;
            if i > j {
                break;
            }
        }
        depth -= 1;
        // Recurse into one side, loop on the other (the same choice as .NET).
        if j - left <= right - i {
            if left < j {
                quicksort(items, left, j, key, depth);
            }
            left = i;
        } else {
            if i < right {
                quicksort(items, i, right, key, depth);
            }
            right = j;
        }
        if left >= right {
            return;
        }
    }
}

/// Swaps `items[a]` and `items[b]` when the first is greater.
fn order_pair<T, K: Ord + Copy>(items: &mut [T], a: isize, b: isize, key: &impl Fn(&T) -> K) {
    let (a, b) = (a as usize, b as usize);
    if a != b && key(&items[a]) > key(&items[b]) {
        items.swap(a, b);
    }
}

/// .NET's heapsort, on a 1-based max-heap over the whole slice.
fn heapsort<T, K: Ord + Copy>(items: &mut [T], key: &impl Fn(&T) -> K) {
    let n = items.len();
    for i in (1..=n / 2).rev() {
        sift_down(items, i, n, key);
    }
    for end in (2..=n).rev() {
        items.swap(0, end - 1);
        sift_down(items, 1, end - 1, key);
    }
}

/// Moves the 1-based heap entry `i` down within the first `n` entries.
fn sift_down<T, K: Ord + Copy>(items: &mut [T], mut i: usize, n: usize, key: &impl Fn(&T) -> K) {
    while i <= n / 2 {
        let mut child = 2 * i;
        if child < n && key(&items[child - 1]) < key(&items[child]) {
            child += 1;
        }
        if key(&items[i - 1]) >= key(&items[child - 1]) {
            return;
        }
        items.swap(i - 1, child - 1);
        i = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pseudo-random keys from a fixed seed (no dependency for a test).
    fn keys(seed: u64, len: usize, distinct: u64) -> Vec<(u64, usize)> {
        let mut state = seed;
        (0..len)
            .map(|index| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % distinct, index)
            })
            .collect()
    }

    #[test]
    fn sorts_by_key() {
        for (seed, len) in [(1, 0), (2, 1), (3, 2), (4, 17), (5, 1000), (6, 5000)] {
            let mut items = keys(seed, len, 7);
            sort_by_key(&mut items, |&(k, _)| k);
            assert!(items.windows(2).all(|w| w[0].0 <= w[1].0), "seed {seed}");
            let mut indices: Vec<usize> = items.iter().map(|&(_, i)| i).collect();
            indices.sort_unstable();
            assert!(
                indices.iter().copied().eq(0..len),
                "seed {seed}: not a permutation"
            );
        }
    }

    #[test]
    fn the_heapsort_fallback_sorts() {
        let mut items = keys(9, 300, 50);
        heapsort(&mut items, &|&(k, _): &(u64, usize)| k);
        assert!(items.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    /// Equal keys are reordered the way .NET reorders them: the partition stops on keys equal
    /// to the pivot from both ends and swaps them.
    #[test]
    fn equal_keys_are_permuted_like_dotnet() {
        let mut items = [(1, 'a'), (1, 'b'), (1, 'c')];
        sort_by_key(&mut items, |&(k, _)| k);
        assert_eq!(items.map(|(_, c)| c), ['c', 'b', 'a']);
    }
}
