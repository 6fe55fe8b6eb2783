import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension HTTPClientError {
    /// Names a failure to connect: no address, refused, timed out, or another socket error.
    init(connecting error: any Error, to url: HTTPURL, connectTimedOut: Bool) {
        switch error {
        case let error as HTTPClientError: self = error
        case let error as TLSError: self = .tls(error)
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty {
                self = .resolutionFailed(host: url.host)
            } else if error.connectionErrors.allSatisfy({ ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                self = .connectionRefused(host: url.host, port: url.port)
            } else if error.connectionErrors.contains(where: { Self.isConnectTimeout($0.error) }) {
                self = connectTimedOut ? .connectTimeout(host: url.host, port: url.port) : .timeout(host: url.host, port: url.port)
            } else {
                let reasons = error.connectionErrors.map { "\($0.target): \($0.error)" }
                self = .connectFailed(host: url.host, port: url.port, reason: reasons.joined(separator: "; "))
            }
        case let error where Self.isConnectTimeout(error):
            self = connectTimedOut ? .connectTimeout(host: url.host, port: url.port) : .timeout(host: url.host, port: url.port)
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            self = .connectionRefused(host: url.host, port: url.port)
        default:
            self = .connectFailed(host: url.host, port: url.port, reason: "\(error)")
        }
    }

    /// Names a failure after the connection was made.
    init(exchanging error: any Error, with url: HTTPURL) {
        switch error {
        case let error as HTTPClientError: self = error
        case let error as TLSError: self = .tls(error)
        case let error as HTTPParserError: self = .malformedResponse(reason: "\(error)")
        case ChannelError.ioOnClosedChannel, ChannelError.eof, ChannelError.outputClosed:
            self = .connectionClosed(host: url.host, port: url.port)
        case let error as IOError:
            self = .connectFailed(host: url.host, port: url.port, reason: "\(error)")
        default:
            self = .invalidRequest(reason: "\(error)")
        }
    }

    private static func isConnectTimeout(_ error: any Error) -> Bool {
        if case ChannelError.connectTimeout = error { return true }
        return false
    }
}
