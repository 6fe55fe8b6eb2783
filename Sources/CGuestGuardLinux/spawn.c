/* Process spawning for ProgramRunner (GuestGuardLinuxProcesses): the calls Swift's Glibc module
 * cannot see (pipe2, posix_spawn_file_actions_addclosefrom_np and _addchdir_np need _GNU_SOURCE;
 * pidfd_open needs glibc 2.36) and a write that cannot raise SIGPIPE. */
#define _GNU_SOURCE
#include "CGuestGuardLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 34)
#define GUESTGUARD_HAVE_CLOSEFROM_ACTION 1
#endif
#endif

/* Moves a descriptor to 3 or above (close-on-exec kept), so that the dup2 file actions onto 0, 1
 * and 2 cannot overwrite one another when this process runs with a standard stream closed. */
static int above_standard_streams(int fd) {
    if (fd > 2) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int code = errno;
    close(fd);
    if (moved < 0) { errno = code; return -1; }
    return moved;
}

int guestguard_pipe_cloexec(int fds[2]) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) < 0) return -errno;
    ends[0] = above_standard_streams(ends[0]);
    if (ends[0] < 0) { int code = errno; close(ends[1]); return -code; }
    ends[1] = above_standard_streams(ends[1]);
    if (ends[1] < 0) { int code = errno; close(ends[0]); return -code; }
    fds[0] = ends[0];
    fds[1] = ends[1];
    return 0;
}

int guestguard_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
    return 0;
}

int guestguard_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                     int stdin_fd, int stdout_fd, int stderr_fd, const char *working_directory) {
#ifndef GUESTGUARD_HAVE_CLOSEFROM_ACTION
    (void)pid; (void)path; (void)argv; (void)envp; (void)stdin_fd; (void)stdout_fd; (void)stderr_fd; (void)working_directory;
    return ENOSYS; /* no closefrom file action: refuse rather than leak descriptors */
#else
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) { posix_spawn_file_actions_destroy(&actions); return result; }

    if (result == 0) result = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    if (result == 0) result = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (result == 0) result = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (result == 0 && working_directory != NULL) result = posix_spawn_file_actions_addchdir_np(&actions, working_directory);

    /* The child starts with no signal blocked and every disposition at its default (a daemon that
     * ignores SIGTERM or SIGPIPE must not hand that to systemctl). */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    if (result == 0) result = posix_spawnattr_setsigmask(&attributes, &none);
    if (result == 0) result = posix_spawnattr_setsigdefault(&attributes, &all);
    if (result == 0) result = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    if (result == 0) result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result;
#endif
}

int guestguard_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
#else
    (void)pid;
    return -ENOSYS;
#endif
}

long guestguard_write_without_sigpipe(int fd, const void *buffer, size_t count) {
    sigset_t pipe_only, previous;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &pipe_only, &previous) != 0) return -EINVAL;
    sigset_t pending;
    sigpending(&pending);
    int already_pending = sigismember(&pending, SIGPIPE);
    ssize_t written;
    do { written = write(fd, buffer, count); } while (written < 0 && errno == EINTR);
    int code = written < 0 ? errno : 0;
    if (code == EPIPE && !already_pending) {
        /* The SIGPIPE this write raised is pending on this thread: take it before unblocking. */
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR) {}
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return code != 0 ? -(long)code : (long)written;
}
