#ifndef GUESTGUARD_CGUESTGUARDLINUX_H
#define GUESTGUARD_CGUESTGUARDLINUX_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include <linux/sev-guest.h>

/* Registers returned by the CPUID instruction. */
typedef struct {
    uint32_t eax;
    uint32_t ebx;
    uint32_t ecx;
    uint32_t edx;
} guestguard_cpuid_regs;

/* Executes CPUID with EAX=leaf, ECX=subleaf. Returns 0, or -1 on non-x86 builds.
 * In an SEV-ES/SNP guest the instruction traps (#VC) and the kernel answers:
 * the result is hypervisor-reported (SNP: from the PSP-checked CPUID page). */
int guestguard_cpuid(uint32_t leaf, uint32_t subleaf, guestguard_cpuid_regs *out);

/* ioctl request numbers from <linux/sev-guest.h>. _IOWR() is a function-like
 * macro and does not import into Swift, so the numbers are computed here. */
extern const unsigned long guestguard_SNP_GET_REPORT;
extern const unsigned long guestguard_SNP_GET_DERIVED_KEY;
extern const unsigned long guestguard_SNP_GET_EXT_REPORT;

/* sizeof() of the kernel structures, checked against the header by a test. */
extern const size_t guestguard_sizeof_snp_guest_request_ioctl;
extern const size_t guestguard_sizeof_snp_report_req;
extern const size_t guestguard_sizeof_snp_report_resp;
extern const size_t guestguard_sizeof_snp_ext_report_req;

/* SEV_FW_BLOB_MAX_SIZE (<linux/psp-sev.h> in the kernel tree, not exported to user space):
 * the largest certs_len SNP_GET_EXT_REPORT accepts. */
#define GUESTGUARD_SEV_FW_BLOB_MAX_SIZE 0x4000

/* Issues one /dev/sev-guest request (SNP_GET_REPORT, SNP_GET_EXT_REPORT) with the kernel's own
 * struct snp_guest_request_ioctl; req_data/resp_data point at snp_report_req or
 * snp_ext_report_req and snp_report_resp. Returns 0 on success, -errno on failure, or the
 * driver's positive return value (the GHCB call's enum es_result on some kernels).
 * The corresponding C function is ioctl(2). */
long guestguard_ioctl(int fd, unsigned long request, struct snp_guest_request_ioctl *arg);

/* Marks the process non-dumpable (no core file, no ptrace by non-root); 0, or -errno on failure.
 * The corresponding C function is prctl(PR_SET_DUMPABLE, 0). */
int guestguard_set_nondumpable(void);

/* Returns prctl(PR_GET_DUMPABLE). */
int guestguard_get_dumpable(void);

/* mallopt(M_ARENA_MAX, arenas): 1 on success, 0 on failure (glibc's convention). */
int guestguard_set_malloc_arena_max(int arenas);

/* Overwrites memory in a way the compiler may not elide. */
void guestguard_explicit_bzero(void *ptr, size_t len);

/* The kernel log. The corresponding C function is klogctl(2). */
int guestguard_klogctl(int type, char *buf, int len);

/* Random bytes. The corresponding C function is getrandom(2). */
long guestguard_getrandom(void *buf, size_t len, unsigned int flags);

/* Flush filesystems, then power the machine off; returns only on failure (-errno).
   The corresponding C functions are sync(2) and reboot(2) with RB_POWER_OFF. */
int guestguard_power_off(void);

/* Process spawning (spawn.c), for ProgramRunner. Each returns 0 (or a count, a descriptor) on
 * success and -errno on failure, except guestguard_spawn, which returns posix_spawn's errno. */

/* A pipe whose both ends are close-on-exec from the start and numbered 3 or above.
 * The corresponding C function is pipe2(fds, O_CLOEXEC). */
int guestguard_pipe_cloexec(int fds[2]);

/* Sets O_NONBLOCK on fd. The corresponding C function is fcntl(F_SETFL). */
int guestguard_set_nonblocking(int fd);

/* Starts path (absolute: no PATH search) with argv and envp (NULL-terminated); in the child,
 * stdin_fd, stdout_fd and stderr_fd become 0, 1 and 2, every other descriptor is closed
 * (posix_spawn_file_actions_addclosefrom_np(3), glibc 2.34+; ENOSYS without it), the working
 * directory is working_directory unless NULL (posix_spawn_file_actions_addchdir_np), no signal is
 * blocked and every signal has its default action (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF).
 * Returns 0 and the child's id in *pid, or an errno value (ENOENT, EACCES, ... from the exec).
 * The corresponding C function is posix_spawn. */
int guestguard_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                     int stdin_fd, int stdout_fd, int stderr_fd, const char *working_directory);

/* A descriptor that polls readable once the child pid has exited (close-on-exec, Linux 5.3+).
 * The corresponding C function is pidfd_open(2). */
int guestguard_pidfd_open(pid_t pid);

/* write(2), retried on EINTR, with SIGPIPE blocked on this thread for the call (a pending SIGPIPE
 * it raised is consumed): a child that closed its standard input gives -EPIPE, not a dead caller. */
long guestguard_write_without_sigpipe(int fd, const void *buffer, size_t count);

#endif
