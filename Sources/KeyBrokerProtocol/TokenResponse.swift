/// `POST /kbs/v0/attest` success body: `{"token":"<EAR JWT>"}` (TR `backend.rs:406-435`).
public struct TokenResponse: KBSMessage, Hashable {
    public var token: String

    public init(token: String) {
        self.token = token
    }
}
