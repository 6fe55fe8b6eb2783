/* Stand-ins, in guestguard-boot's release build only (GG_BOOT_RELEASE, Package.swift), for the Swift concurrency entry
   points that swift-log 1.16.2 refers to from its task-local logger (`Logger.current`, `withLogger`: Logger.swift's
   `taskLocalLogger`, Logger+With.swift) and from nothing guestguard-boot runs: TaskLocal's initialiser, get, withValue
   (and its async function pointer) and type descriptor, swift_task_alloc/dealloc/switch (async frames), the
   Actor.unownedExecutor thunk and _swift_implicitisolationactor_to_executor_cast.

   guestguard-boot's path is synchronous and never binds or reads a task-local logger (it logs only libcryptsetup's
   messages, through Logger.warning, which touches no task-local), so those functions of swift-log are dead and
   --gc-sections drops them; but their undefined references alone make the linker take _Concurrency, libdispatch and
   BlocksRuntime out of the static runtime's archives (0.58 MB, 0.19 MB zstd in the initramfs: README, "Binary size").
   Defined here, in an object linked before the archives are searched, nothing is taken from them (lld's --defsym
   would not do: archive members are extracted before it applies). Should anything reach one, the process stops
   (the initramfs script then powers off: fail closed). BootExecutableCLITests refuses any use of concurrency in the
   boot modules themselves; the debug build and every other executable keep the real runtime. Another swift-log
   release may name other entry points: bench/initramfs-size.sh and `nm` show concurrency coming back. */
#ifdef GG_BOOT_RELEASE
#include <stdlib.h>
#include <unistd.h>

__attribute__((noreturn)) static void no_task_local_logger(void) {
    static const char message[] = "guestguard-boot: Swift concurrency (swift-log's task-local logger) is not linked into this executable\n";
    (void)!write(2, message, sizeof message - 1);
    abort();
}

#define GG_NO_CONCURRENCY(name, symbol) \
    __attribute__((noreturn, used)) void name(void) __asm__(symbol); \
    void name(void) { no_task_local_logger(); }

GG_NO_CONCURRENCY(gg_no_concurrency_0, "swift_task_alloc")
GG_NO_CONCURRENCY(gg_no_concurrency_1, "swift_task_dealloc")
GG_NO_CONCURRENCY(gg_no_concurrency_2, "swift_task_switch")
GG_NO_CONCURRENCY(gg_no_concurrency_3, "_swift_implicitisolationactor_to_executor_cast")
GG_NO_CONCURRENCY(gg_no_concurrency_4, "$sScA15unownedExecutorScevgTj")
GG_NO_CONCURRENCY(gg_no_concurrency_5, "$ss9TaskLocalC12wrappedValueAByxGx_tcfc")
GG_NO_CONCURRENCY(gg_no_concurrency_6, "$ss9TaskLocalC3getxyF")
GG_NO_CONCURRENCY(gg_no_concurrency_7, "$ss9TaskLocalC9withValue_9operation4file4lineqd__x_qd__yKXESSSutKlF")
GG_NO_CONCURRENCY(gg_no_concurrency_8, "$ss9TaskLocalC9withValue_9operation9isolation4file4lineqd__x_qd__yYaKXEScA_pSgYiSSSutYaKlF")
GG_NO_CONCURRENCY(gg_no_concurrency_9, "$ss9TaskLocalC9withValue_9operation9isolation4file4lineqd__x_qd__yYaKXEScA_pSgYiSSSutYaKlFTu")
GG_NO_CONCURRENCY(gg_no_concurrency_10, "$ss9TaskLocalCMn")
#endif
