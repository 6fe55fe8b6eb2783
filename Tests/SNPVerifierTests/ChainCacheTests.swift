import SNPABI
import SNPVerifier
import Testing

@Suite struct ChainCacheTests {
    @Test func secondVerificationUsesTheCachedChain() throws {
        let verifier = try amdVerifier()
        let vector = RealVector.all[2]
        let report = try Fixture.report(vector.report)
        let vek = try Fixture.bytes(vector.vek)
        let first = try verifier.verify(report: report, vekDER: vek, at: fixedTime)
        let second = try verifier.verify(report: report, vekDER: vek, at: fixedTime)
        #expect(!first.usedCachedChain)
        #expect(second.usedCachedChain)
        #expect(first.checks == second.checks)
        #expect(second.isVerified)
        #expect(verifier.cachedChainCount == 1)
    }

    @Test func cachedChainStillChecksTimeAndReport() throws {
        let verifier = try amdVerifier()
        let vlek = try Fixture.bytes("trustee/test-vlek.der")
        let report = try Fixture.report("trustee/test-vlek-report.bin")
        #expect(try verifier.verify(report: report, vekDER: vlek, at: fixedTime).isVerified)
        let later = try verifier.verify(report: report, vekDER: vlek, at: 1_765_411_200)  // 2025-12-11
        #expect(later.usedCachedChain)
        #expect(later.failedChecks == [.vekValidity])
        var tampered = report.bytes
        tampered[0x90] ^= 0x01
        let forged = try verifier.verify(report: AttestationReport(bytes: tampered), vekDER: vlek, at: fixedTime)
        #expect(forged.usedCachedChain)
        #expect(forged.failedChecks == [.reportSignature])
    }

    @Test func disabledCacheNeverHits() throws {
        let verifier = try amdVerifier(cacheCapacity: 0)
        let vector = RealVector.all[0]
        for _ in 0..<2 {
            let result = try verifier.verify(report: Fixture.report(vector.report), vekDER: Fixture.bytes(vector.vek), at: fixedTime)
            #expect(!result.usedCachedChain && result.isVerified)
        }
        #expect(verifier.cachedChainCount == 0)
    }

    @Test func failedChainsAreNotCached() throws {
        let verifier = try amdVerifier()
        let report = try Fixture.report("trustee/test-report.bin")
        let forged = try Fixture.bytes("trustee/test-vcek-invalid-legacy.der")
        for _ in 0..<2 {
            #expect(!(try verifier.verify(report: report, vekDER: forged, at: fixedTime).usedCachedChain))
        }
        #expect(verifier.cachedChainCount == 0)
    }

    @Test func capacityEvictsOldestChain() throws {
        let verifier = try amdVerifier(cacheCapacity: 2)
        for vector in RealVector.all.prefix(3) {
            _ = try verifier.verify(report: Fixture.report(vector.report), vekDER: Fixture.bytes(vector.vek), at: fixedTime)
        }
        #expect(verifier.cachedChainCount == 2)
        let oldest = RealVector.all[0]
        #expect(!(try verifier.verify(report: Fixture.report(oldest.report), vekDER: Fixture.bytes(oldest.vek), at: fixedTime).usedCachedChain))
        let newest = RealVector.all[2]
        #expect(try verifier.verify(report: Fixture.report(newest.report), vekDER: Fixture.bytes(newest.vek), at: fixedTime).usedCachedChain)
    }

    /// A different explicit intermediate bypasses the cache, so a cached chain never hides a bad one.
    @Test func explicitDifferentIntermediateBypassesTheCache() throws {
        let verifier = try amdVerifier()
        let report = try Fixture.report("go-sev-guest/attestation.bin")
        let vcek = try Fixture.bytes("go-sev-guest/vcek.testcer")
        #expect(try verifier.verify(report: report, vekDER: vcek, at: fixedTime).isVerified)
        let asvk = try Fixture.certificate("trustee/split_milan_asvk.pem")
        let swapped = try verifier.verify(report: report, vekDER: vcek, intermediate: asvk, at: fixedTime)
        #expect(!swapped.usedCachedChain)
        #expect(!swapped.isVerified)
        let ask = try Fixture.certificate("trustee/split_milan_ask.pem")
        #expect(try verifier.verify(report: report, vekDER: vcek, intermediate: ask, at: fixedTime).usedCachedChain)
    }

    @Test func concurrentVerificationsShareTheCache() async throws {
        let verifier = try amdVerifier()
        let inputs = try RealVector.all.map { (try Fixture.report($0.report), try Fixture.bytes($0.vek)) }
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let (report, vek) = inputs[index % inputs.count]
                group.addTask { try verifier.verify(report: report, vekDER: vek, at: fixedTime).isVerified }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 20 && results.allSatisfy { $0 })
        #expect(verifier.cachedChainCount == inputs.count)
    }
}
