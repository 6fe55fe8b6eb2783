import CGuestGuardLinux
import Testing

/// The C shim takes its numbers and sizes from <linux/sev-guest.h>; these are the values the
/// reference (docs/snp-abi.md §2.1) states for x86-64.
@Suite struct CShimTests {
    @Test func ioctlNumbersMatchTheHeader() {
        #expect(guestguard_SNP_GET_REPORT == 0xC020_5300)
        #expect(guestguard_SNP_GET_DERIVED_KEY == 0xC020_5301)
        #expect(guestguard_SNP_GET_EXT_REPORT == 0xC020_5302)
    }

    @Test func structSizesMatchTheHeader() {
        #expect(guestguard_sizeof_snp_guest_request_ioctl == 32)
        #expect(guestguard_sizeof_snp_report_req == 96)
        #expect(guestguard_sizeof_snp_report_resp == 4000)
        #expect(guestguard_sizeof_snp_ext_report_req == 112)
    }

    @Test func cpuidAnswersLeafZero() {
        var registers = guestguard_cpuid_regs()
        #expect(guestguard_cpuid(0, 0, &registers) == 0)
        #expect(registers.eax > 0)
    }
}
