/// The fixed recipient keys of the `jwe` target: test keys from Tests/KeyBrokerJWETests/Fixtures
/// (vector jwe-1's P-256 key; jwe-3's RSA-2048 key), public in this repository, never a real secret.
enum JWEKeys {
    static let p256PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/3a/+U+AyTxG9pD
        Ciof4sI2l/118kqOiddXXucw0x2hRANCAATNTPut/hoWyNoBhq5k9zJz7+OJ14P5
        ENm/tPV4AfrXiyJsDDdjBMS8FQRArrZrGaKBVJCnahVEEOhStz147bKM
        -----END PRIVATE KEY-----
        """

    static let rsa2048PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDTY+ZByZ1dZ60m
        siyZsn1VEKlNdS5ZE6FxN3JFnJXoYYkK6QmWnQIhRdFEVdSn8VhBKByO1sPku8G+
        Per81DZigJhqjSbpYmb6WyPl14TthBkrhiJG9+T2vOeb98hyBdRZqSG1WjTcpd1S
        fQ8YhAyKPoox30gRK/J/UgTRtzzSpcYZdKGw4/Dyq0rWis91BVlu9GqEZHvKcFRy
        2J7g46nsw9qvCobIxVq5sVEZ7FeQdJmjBERAdME6Nejg4a39GmzxxktXAF70H6je
        WlBJwsSlgRUfpOt55fpntX4wHmD9NwD/lr+fFRqheRnEWzrGfDXShbWVd8mPKlL4
        Mh2dp0yFAgMBAAECggEAJS39LeV+1NKbGQL+BrNmyVsil/HMCtVB0CarJdS2Zhaf
        kqhtrAyl9wGvXphFDJvNhLpAGZxq/HRMjYAY8EqH3TfWdukoJqTMzWxRykdnhRn2
        jlnrdfV8UyxjBSLl4a4mTPXLLLk2sndGz88YpFx3UypQRpjJtWF4J44etF8I5th4
        1SkT51lNSdSNFmhM1lrdtNijLvLs/5Fj0WNEdNj9kxfCKfbfiDC8p/sqLI/ssDuU
        rXRr6+8guRTP/F7+sUmD01SZKX53sdi7MCOmYLT0iWDk9Q4NKbW3S1oOebm03FdY
        cd1LxKCNUwvKCzhaRRIcCS7ZfwoQqvyBFghPuFUCkQKBgQD4vimLw0jzGNwE6fme
        oKhqhTMjGbg4kzns8atTkfOCNbNY25KYKgt0hd+37mKhbcjgu5Bc8taERryg9Gap
        9FFczQrZsz4frIQniwSqowmvB9RtD2w+1NFAvEmyAfh9tCSSdco/lQDWL4UisS9r
        00RJOO+vUYCtXMJwGkF3zQuR1QKBgQDZjsEII0qoaLfnw3Xcx+kFo7dW9hJ3B6dr
        HOwz0zp64CkowbHakyYx2m4/Xh4CBVOSA9bnYOq02pwZEyzJt8AgfMKVlrruPKSu
        r2agKciCRcngWSJPeK6QFNRNIbwMRX9OW6diuCiwlzevQAZha+fuCXvvjx1EOlSm
        wzD6BJV38QKBgAUjmKQkkrtDBjirxNZ8Jz6cJeRRwbaZhBbbH1kIqOlFxsDNOIgg
        RkBQC8E3EZ6YMBBEj8T712bAN2Fz6zMTsyKhsdmxlFT/MXPHsX79A1Q0azUdnnTl
        3LTjrvoYhFPEhwTnnhgWMgA61xtSYdJuePiyTnFm06vBQNskD7oz6EtJAoGAWmSj
        85umQ37vGo7uA8PUIBG79ZfcaDR37VthEM9s9uz4bQS9vxFwxzn4oL+cPD62UG7j
        9dMg8e/697gt3cpJO7Zaqwirtpzf1+zs+RMjSm1wyZR/WwHLlfXxl/KyTW76zDXs
        wGnADk9mRZyWihfpj8/E/O47vMN3tKpZSShqaiECgYEAtCIdWATLgVOG5MnT845S
        oOs1h6tj9+EyWk9Scme6Sp1kiUs5PrYdBjfibnFsNEKg7eRIFAC6DynnLPz71vBx
        DNc7oC7IcOFysZhhls5pmBqQRZ/ppWeBpGyK6GTvu9n5eXuLSzIjqxSYN3w67lWP
        pvso6BhJ6+wtC0g3JA3eR9Q=
        -----END PRIVATE KEY-----
        """
}
