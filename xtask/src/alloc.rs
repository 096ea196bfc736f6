//! The allocator between the benchmark's rounds (`xtask`'s global allocator is mimalloc,
//! `main.rs`).
//!
//! mimalloc keeps memory that a program frees for a second before it gives it back to the OS
//! (its `purge_delay`, 1000 ms in the version built here). One round of the benchmark takes a
//! fifth of that: without [`release_freed`] between rounds, a round would allocate in the pages
//! the round before freed, already mapped and zeroed, where a real `cargo xtask codegen` (a
//! fresh process) makes the kernel map and zero each page it first touches (about 150 MB a
//! run). The benchmark calls it after each timed run, so that every round starts as a fresh
//! process does.

/// Gives the memory freed so far back to the OS now: of this thread and of each thread of
/// rayon's pool (mimalloc keeps a thread's freed pages with that thread).
pub fn release_freed() {
    // SAFETY: asks the allocator to collect its freed memory; no pointers are passed.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resident_kb() -> u64 {
        crate::bench::proc_status_kb("self", "VmRSS:").expect("VmRSS of /proc/self/status")
    }

    #[test]
    fn freed_memory_goes_back_to_the_os() {
        const SIZE: usize = 64 << 20;
        // SAFETY: a block of mimalloc's, written in full, then freed once.
        unsafe {
            let p = libmimalloc_sys::mi_malloc(SIZE).cast::<u8>();
            assert!(!p.is_null());
            std::ptr::write_bytes(p, 1, SIZE);
            let touched = resident_kb();
            libmimalloc_sys::mi_free(p.cast());
            release_freed();
            let after = resident_kb();
            assert!(
                touched - after > (SIZE as u64 / 1024) / 2,
                "resident {touched} kB with the block, {after} kB after"
            );
        }
    }
}
