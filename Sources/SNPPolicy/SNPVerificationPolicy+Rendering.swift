import GuestGuardConfig
import SNPABI

extension SNPVerificationPolicy {
    /// The policy as a policy file (`guestguard policy show`). Every setting is written, defaults
    /// included, so the text shows exactly what is enforced; ``init(parsing:fileName:)`` reads it
    /// back to an equal policy.
    public func tomlText() -> String {
        var lines = [
            "# guestguard SNP verification policy (format: docs/policy.md)",
            TOMLRenderer.assignment("version", TOMLRenderer.integer(Self.currentVersion)),
            "",
            TOMLRenderer.tableHeader(["report"]),
        ]
        lines += reportLines()
        if let minimumTCB = report.minimumTCB {
            lines += ["", TOMLRenderer.tableHeader(["report", "minimum-tcb"])]
            lines.append(TOMLRenderer.assignment(
                "applies-to", TOMLRenderer.array(minimumTCB.fields.map { TOMLRenderer.string($0.rawValue) })))
            for component in TCBComponent.allCases {
                guard let minimum = minimumTCB.minimums[component] else { continue }
                lines.append(TOMLRenderer.assignment(component.rawValue, TOMLRenderer.integer(minimum)))
            }
        }
        if !report.platformInfo.isEmpty {
            lines += ["", TOMLRenderer.tableHeader(["report", "platform-info"])]
            for flag in PlatformInfoFlag.allCases {
                guard let requirement = report.platformInfo[flag] else { continue }
                lines.append(TOMLRenderer.assignment(flag.rawValue, TOMLRenderer.string(requirement.rawValue)))
            }
        }
        lines += ["", TOMLRenderer.tableHeader(["trust"])]
        lines += trustLines()
        if let tpm {
            lines += ["", TOMLRenderer.tableHeader(["tpm"])]
            lines.append(TOMLRenderer.assignment("quote", TOMLRenderer.string(tpm.requireQuote ? "require" : "optional")))
            if !tpm.pcrs.isEmpty {
                lines += ["", TOMLRenderer.tableHeader(["tpm", "pcrs"])]
                for index in tpm.pcrs.keys.sorted() {
                    lines.append(TOMLRenderer.assignment(String(index), TOMLRenderer.string(Hex.encode(tpm.pcrs[index]!))))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func reportLines() -> [String] {
        let labels = report.measurementLabels
        func measurementList(_ values: [[UInt8]]) -> String {
            TOMLRenderer.array(values.map { value in
                let hex = TOMLRenderer.string(Hex.encode(value))
                guard let label = labels[value] else { return hex }
                return "{ value = \(hex), label = \(TOMLRenderer.string(label)) }"
            }, multiline: true)
        }
        var lines = [
            TOMLRenderer.assignment("measurements", measurementList(report.measurements)),
            TOMLRenderer.assignment("debug", TOMLRenderer.string(report.debug.rawValue)),
            TOMLRenderer.assignment("migration-agent", TOMLRenderer.string(report.migrationAgent.rawValue)),
            TOMLRenderer.assignment("smt", TOMLRenderer.string(report.smt.rawValue)),
            TOMLRenderer.assignment("single-socket", TOMLRenderer.string(report.requireSingleSocket ? "require" : "optional")),
            TOMLRenderer.assignment("vmpl", TOMLRenderer.array(report.vmpls.map(TOMLRenderer.integer))),
            TOMLRenderer.assignment("minimum-guest-svn", TOMLRenderer.integer(report.minimumGuestSVN)),
        ]
        if let firmware = report.minimumFirmware {
            lines.append(TOMLRenderer.assignment("minimum-firmware", TOMLRenderer.string(firmware.description)))
        }
        if let abi = report.minimumABI {
            lines.append(TOMLRenderer.assignment("minimum-abi", TOMLRenderer.string(abi.description)))
        }
        if report.minimumTCBWaived {
            lines.append(TOMLRenderer.assignment("minimum-tcb", TOMLRenderer.string(Self.anyValue)))
        }
        for field in ReportBytesField.allCases {
            guard let expected = report.expectedBytes[field] else { continue }
            lines.append(TOMLRenderer.assignment(field.rawValue, TOMLRenderer.string(Hex.encode(expected))))
        }
        return lines
    }

    private func trustLines() -> [String] {
        let roots = (trust.includesAMDRoots ? [Self.amdRoots] : []) + trust.arkCertificatePaths
        let rendered = roots == [Self.amdRoots]
            ? TOMLRenderer.string(Self.amdRoots)
            : TOMLRenderer.array(roots.map(TOMLRenderer.string), multiline: roots.count > 1)
        var lines = [TOMLRenderer.assignment("roots", rendered)]
        if !trust.arkFingerprints.isEmpty {
            lines.append(TOMLRenderer.assignment(
                "ark-fingerprints",
                TOMLRenderer.array(trust.arkFingerprints.map { TOMLRenderer.string(Hex.encode($0)) }, multiline: true)))
        }
        return lines
    }
}
