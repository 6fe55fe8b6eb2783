import SNPABI

/// AMD's ARK, ASK and ASVK for each generation, embedded and pinned (the SHA-256 values of
/// /work/shared/fixtures/snp/README.md). ``trustStore()`` loads them once per process.
public enum AMDRootCertificates {
    /// The pinned ARK, ASK and ASVK of `generation`.
    public static func pinned(for generation: ProcessorGeneration) -> (ark: PinnedCertificate, ask: PinnedCertificate, asvk: PinnedCertificate) {
        switch generation {
        case .milan: (milanARK, milanASK, milanASVK)
        case .genoa: (genoaARK, genoaASK, genoaASVK)
        case .turin: (turinARK, turinASK, turinASVK)
        }
    }

    private static let loaded = Result { () throws(TrustStoreError) -> TrustStore in
        var store = TrustStore()
        for generation in ProcessorGeneration.allCases {
            let pinned = pinned(for: generation)
            store.add(try TrustedRoot(generation: generation, pinnedARK: pinned.ark, pinnedIntermediates: [pinned.ask, pinned.asvk]))
        }
        return store
    }

    /// AMD's Milan, Genoa and Turin roots with their ASK and ASVK, each fingerprint checked and
    /// each signature verified (ARK self-signature; ASK/ASVK by the ARK). Loaded once.
    public static func trustStore() throws(TrustStoreError) -> TrustStore {
        try loaded.get()
    }
}
