import Foundation
import GuestGuardTestSupport
import Testing

/// `guestguard measure` against sev-snp-measure 0.0.13: the same argv to both tools, byte-for-byte
/// equal output, over every mode × vCPU counts 1/2/4/64 × vCPU types and signatures × guest
/// features × kernel/initrd/append or none × VMM types × firmware (the peer's AmdSev and OvmfX64
/// fixtures, Debian 12's full OVMF_CODE.fd, synthetic images and a stand-in SVSM).
@Suite(.serialized, .enabled(if: MeasurePeer.isInstalled, "sev-snp-measure 0.0.13 is not importable by python3 (make deps installs it)"))
struct MeasureCLITests {
    static func fixture(_ name: String) -> String { Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path }

    static let debianOVMF = "/usr/share/OVMF/OVMF_CODE.fd"

    /// Inputs on disk: fixtures, generated blobs and synthetic firmware.
    struct Files {
        let tree = TemporaryFileTree(prefix: "guestguard-measure")
        let amdSev = MeasureCLITests.fixture("ovmf_AmdSev_suffix.bin")
        let x64 = MeasureCLITests.fixture("ovmf_OvmfX64_suffix.bin")
        let kernel: String, initrd: String, synthetic: String, svsm: String, vars: String

        init() {
            // Blobs whose bytes vary (the peer hashes them; contents need not be a real kernel).
            tree.write("/vmlinuz", bytes: (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
            tree.write("/initrd.img", bytes: (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 13 ^ $0 >> 11) })
            tree.write("/amdsev-like.fd", bytes: SyntheticFirmware.amdSevLike.bytes())
            tree.write("/svsm.bin", bytes: SyntheticFirmware.svsm.bytes())
            tree.write("/OVMF_VARS.fd", bytes: [UInt8](repeating: 0xFF, count: 0x21000))
            (kernel, initrd, synthetic, svsm, vars) = (tree.root + "/vmlinuz", tree.root + "/initrd.img", tree.root + "/amdsev-like.fd", tree.root + "/svsm.bin", tree.root + "/OVMF_VARS.fd")
        }
    }

    /// The combinations (at least 40 required; about 150 here).
    static func combinations(_ f: Files) -> [[String]] {
        var all: [[String]] = []
        let blobs: [[String]] = [[], ["--kernel", f.kernel], ["--kernel", f.kernel, "--initrd", f.initrd, "--append", "console=ttyS0 root=/dev/vda1 ro"]]
        let cpus: [[String]] = [
            ["--vcpu-type", "EPYC"], ["--vcpu-type", "EPYC-v4"], ["--vcpu-type", "EPYC-Rome"], ["--vcpu-type", "EPYC-Milan"],
            ["--vcpu-type", "EPYC-Genoa"], ["--vcpu-type", "EPYC-Turin"], ["--vcpu-sig", "0xa00f11"],
            ["--vcpu-family", "25", "--vcpu-model", "17", "--vcpu-stepping", "1"],
        ]
        let vmms = ["QEMU", "ec2", "gce"]
        let features = ["0x1", "0x0", "0x21", "0x3f"]
        var index = 0
        // snp and seves: every vCPU count × blobs × a rotation of vCPU types, VMMs and features.
        for mode in ["snp", "seves"] {
            for vcpus in [1, 2, 4, 64] {
                for (b, blob) in blobs.enumerated() {
                    for firmware in (b == 0 ? [f.amdSev, f.x64, f.synthetic] : [f.amdSev, f.synthetic]) {
                        index += 1
                        var argv = ["--mode", mode, "--vcpus", "\(vcpus)", "--ovmf", firmware, "--vmm-type", vmms[index % 3]] + cpus[index % cpus.count] + blob
                        if mode == "snp" { argv += ["--guest-features", features[index % features.count]] }
                        all.append(argv)
                    }
                }
            }
        }
        // Every VMM × every vCPU type, measured direct boot, SNP.
        for vmm in vmms { for cpu in cpus { all.append(["--mode", "snp", "--vcpus", "4", "--ovmf", f.amdSev, "--vmm-type", vmm] + cpu + blobs[2]) } }
        // EC2 and GCE without any signature option (the peer allows it: RDX is 0x600 there).
        all.append(["--mode", "snp", "--vcpus", "2", "--vmm-type", "ec2", "--ovmf", f.amdSev])
        all.append(["--mode", "seves", "--vcpus", "2", "--vmm-type", "gce", "--ovmf", f.amdSev])
        // sev: vCPUs do not count; with and without blobs.
        for blob in blobs { for firmware in [f.amdSev, f.synthetic] { all.append(["--mode", "sev", "--ovmf", firmware] + blob) } }
        all.append(["--mode", "sev", "--ovmf", f.x64])
        // Firmware-only SNP digest, and snp seeded with it.
        for firmware in [f.amdSev, f.x64, f.synthetic] { all.append(["--mode", "snp:ovmf-hash", "--ovmf", firmware]) }
        // snp:svsm with both ways of giving the OVMF_VARS size.
        for vcpus in [1, 2, 4, 64] {
            all.append(["--mode", "snp:svsm", "--vcpus", "\(vcpus)", "--vcpu-type", "EPYC-Milan", "--ovmf", f.amdSev, "--svsm", f.svsm, "--vars-size", "540672"])
        }
        all.append(["--mode", "snp:svsm", "--vcpus", "2", "--vcpu-type", "EPYC-Genoa", "--ovmf", f.x64, "--svsm", f.svsm, "--vars-file", f.vars])
        // Output formats, -v, an empty command line.
        all.append(["--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-Genoa", "--ovmf", f.amdSev, "--output-format", "base64"] + blobs[2])
        all.append(["--mode", "seves", "--vcpus", "2", "--vcpu-type", "EPYC-Genoa", "--ovmf", f.amdSev, "--output-format", "base64"])
        all.append(["--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-Genoa", "--ovmf", f.amdSev, "-v"] + blobs[1])
        all.append(["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-Milan", "--ovmf", f.amdSev, "--kernel", f.kernel, "--append", ""])
        // Debian 12's full firmware (no kernel hashes) in every mode that can measure it.
        if FileManager.default.fileExists(atPath: debianOVMF) {
            for vcpus in [1, 2, 4, 64] {
                all.append(["--mode", "snp", "--vcpus", "\(vcpus)", "--vcpu-type", "EPYC-Milan", "--ovmf", debianOVMF, "--vmm-type", vmms[vcpus % 3]])
            }
            all.append(["--mode", "seves", "--vcpus", "4", "--vcpu-type", "EPYC-Rome", "--ovmf", debianOVMF])
            all.append(["--mode", "sev", "--ovmf", debianOVMF])
            all.append(["--mode", "snp:ovmf-hash", "--ovmf", debianOVMF])
        }
        return all
    }

    @Test func sameOutputAsPeer() throws {
        let files = Files()
        var argvs = Self.combinations(files)
        // snp seeded with the peer's own firmware digest: `--snp-ovmf-hash` replaces the firmware pages.
        let seed = try MeasurePeer.run([["--mode", "snp:ovmf-hash", "--ovmf", files.amdSev]])[0].stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(seed.count == 96)
        argvs.append(["--mode", "snp", "--vcpus", "4", "--vcpu-type", "EPYC-Milan", "--ovmf", files.amdSev, "--snp-ovmf-hash", seed, "--kernel", files.kernel])
        #expect(argvs.count >= 40)
        let expected = try MeasurePeer.run(argvs)
        #expect(expected.count == argvs.count)
        var matched = 0
        for (argv, peer) in zip(argvs, expected) {
            let ours = try CLIRunner.run(["measure"] + argv)
            #expect(peer.status == 0, "peer failed on \(argv): \(peer.stderr)")
            #expect(ours.status == 0, "guestguard failed on \(argv): \(ours.stderr)")
            #expect(ours.stdout == peer.stdout, "\(argv)")
            if ours.status == 0 && ours.stdout == peer.stdout && peer.status == 0 { matched += 1 }
        }
        #expect(matched == argvs.count)
    }

    /// Like the peer, a kernel with a firmware that cannot verify it is refused, naming the section.
    @Test func refusesKernelHashesWithoutSection() throws {
        let files = Files()
        var cases: [[String]] = [["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-Milan", "--ovmf", files.x64, "--kernel", files.kernel]]
        if FileManager.default.fileExists(atPath: Self.debianOVMF) {
            cases.append(["--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-Milan", "--ovmf", Self.debianOVMF, "--kernel", files.kernel, "--initrd", files.initrd])
        }
        for (argv, peer) in zip(cases, try MeasurePeer.run(cases)) {
            #expect(peer.status != 0 && peer.stderr.contains("SNP_KERNEL_HASHES"), "\(peer)")
            let ours = try CLIRunner.run(["measure"] + argv)
            #expect(ours.status != 0 && ours.stdout.isEmpty)
            #expect(ours.stderr.contains("SNP_KERNEL_HASHES") && ours.stderr.contains(argv[7]), "\(ours.stderr)")
        }
        let seves = try CLIRunner.run(["measure", "--mode", "seves", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.x64, "--kernel", files.kernel])
        #expect(seves.status != 0 && seves.stderr.contains("SEV_HASH_TABLE_RV_GUID"))
    }

    /// `--json`: every input's SHA-256 equals hashlib's, and the measurement equals the peer's.
    @Test func jsonNamesEveryInput() throws {
        let files = Files()
        let argv = ["--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-Genoa", "--ovmf", files.amdSev, "--kernel", files.kernel, "--initrd", files.initrd,
                    "--append", "quiet"]
        let peer = try MeasurePeer.run([argv, ["--sha256", files.amdSev], ["--sha256", files.kernel], ["--sha256", files.initrd]])
        let ours = try CLIRunner.run(["measure", "--json"] + argv)
        #expect(ours.status == 0, "\(ours.stderr)")
        let document = try #require(JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "guestguard.measure/v1")
        #expect(document["measurement"] as? String == peer[0].stdout.trimmingCharacters(in: .newlines))
        #expect(document["vcpus"] as? Int == 2 && document["vcpuSignature"] as? String == "0xa10f10" && document["guestFeatures"] as? String == "0x1")
        let inputs = try #require(document["inputs"] as? [String: [String: Any]])
        #expect(inputs["ovmf"]?["sha256"] as? String == peer[1].stdout)
        #expect(inputs["kernel"]?["sha256"] as? String == peer[2].stdout)
        #expect(inputs["initrd"]?["sha256"] as? String == peer[3].stdout)
        // SHA-256("quiet\0")
        #expect(inputs["append"]?["sha256"] as? String == "c801d8e83dec6220b30fe179a8aabec923c8977255530ecc7dc23b95a6959bbc")
    }

    /// Option errors name the option, before any file is read.
    @Test func optionErrors() throws {
        let files = Files()
        let cases: [([String], String)] = [
            (["--mode", "snp", "--vcpus", "1", "--ovmf", files.amdSev], "missing --vcpu-type"),
            (["--mode", "snp", "--vcpu-type", "EPYC", "--ovmf", files.amdSev], "missing --vcpus"),
            (["--mode", "tdx", "--ovmf", files.amdSev], "--mode"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-Foo", "--ovmf", files.amdSev], "--vcpu-type"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--vcpu-sig", "0x1", "--ovmf", files.amdSev], "only one of"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--initrd", files.initrd], "--kernel required"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--vmm-type", "kvm"], "unknown VMM type"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--guest-features", "one"], "--guest-features"),
            (["--mode", "seves", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--snp-ovmf-hash", "00"], "--snp-ovmf-hash"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--snp-ovmf-hash", "00"], "expected 48 bytes"),
            (["--mode", "snp:svsm", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--svsm", files.svsm], "--vars-size or --vars-file"),
            (["--mode", "snp:svsm", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--svsm", files.svsm, "--vars-size", "1",
              "--kernel", files.kernel], "does not measure --kernel"),
            (["--mode", "snp:svsm", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.amdSev, "--svsm", files.svsm, "--vars-size", "0"], "positive"),
            (["--mode", "snp", "--vcpus", "0", "--vcpu-type", "EPYC", "--ovmf", files.amdSev], "vCPU count"),
            (["--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--ovmf", files.tree.root + "/absent.fd"], "absent.fd"),
        ]
        for (argv, phrase) in cases {
            let result = try CLIRunner.run(["measure"] + argv)
            #expect(result.status != 0 && result.stdout.isEmpty, "\(argv)")
            #expect(result.stderr.contains(phrase), "\(argv): \(result.stderr)")
        }
    }
}
