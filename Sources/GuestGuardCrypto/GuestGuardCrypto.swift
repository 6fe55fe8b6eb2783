/// GuestGuardCrypto: owned wrappers over the system OpenSSL (libcrypto) used by the verifier,
/// the simulated secure processor and the key broker protocol.
public enum GuestGuardCryptoModule {}
