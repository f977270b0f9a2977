#if canImport(CGlibcMalloc)
import CGlibcMalloc
#endif

/// The process's C heap is one arena, shared by all its threads.
///
/// glibc gives a thread that allocates while another holds the heap's lock an arena of its
/// own, and memory freed in one arena is not reused by another. Which threads of the
/// bridge (the SQLite session's, Swift's concurrency pool, SwiftNIO's) first meet that way
/// varies from run to run, and so did the peak memory of the same cycle of 1,000,000
/// payments: about 112 MB in 5 of 12 runs, about 93 MB in the others (docs/performance.md,
/// 2026-12-04). With one arena it was 92 to 95 MB in each of 18 runs,
/// and no slower: the bridge's threads take turns more than they run side by side.
///
/// Must run before the process starts any thread of its own.
func useOneMallocArena() {
    #if canImport(CGlibcMalloc)
    _ = mallopt(M_ARENA_MAX, 1)
    #endif
}
