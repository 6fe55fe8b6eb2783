#include "CGuestGuardLinux.h"

#include <errno.h>
#include <malloc.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/random.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <unistd.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/sev-guest.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

int guestguard_cpuid(uint32_t leaf, uint32_t subleaf, guestguard_cpuid_regs *out) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(leaf, subleaf, a, b, c, d);
    out->eax = a; out->ebx = b; out->ecx = c; out->edx = d;
    return 0;
#else
    (void)leaf; (void)subleaf;
    memset(out, 0, sizeof(*out));
    return -1;
#endif
}

const unsigned long guestguard_SNP_GET_REPORT = SNP_GET_REPORT;
const unsigned long guestguard_SNP_GET_DERIVED_KEY = SNP_GET_DERIVED_KEY;
const unsigned long guestguard_SNP_GET_EXT_REPORT = SNP_GET_EXT_REPORT;

const size_t guestguard_sizeof_snp_guest_request_ioctl = sizeof(struct snp_guest_request_ioctl);
const size_t guestguard_sizeof_snp_report_req = sizeof(struct snp_report_req);
const size_t guestguard_sizeof_snp_report_resp = sizeof(struct snp_report_resp);
const size_t guestguard_sizeof_snp_ext_report_req = sizeof(struct snp_ext_report_req);

int guestguard_set_nondumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 ? -errno : 0; }
int guestguard_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

int guestguard_set_malloc_arena_max(int arenas) {
#ifdef M_ARENA_MAX
    return mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
    return 0;
#endif
}

void guestguard_explicit_bzero(void *ptr, size_t len) { explicit_bzero(ptr, len); }

int guestguard_klogctl(int type, char *buf, int len) { return klogctl(type, buf, len); }
long guestguard_getrandom(void *buf, size_t len, unsigned int flags) { return (long)getrandom(buf, len, flags); }

long guestguard_ioctl(int fd, unsigned long request, struct snp_guest_request_ioctl *arg) {
    long result = ioctl(fd, request, arg);
    return result < 0 ? -(long)errno : result;
}

int guestguard_power_off(void) {
    sync();
    return reboot(RB_POWER_OFF) < 0 ? -errno : 0;
}
