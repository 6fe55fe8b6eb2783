import Foundation
import GuestGuardTestSupport

/// sev-snp-measure 0.0.13 (PyPI; `make deps` installs it) run in one python3 process: each line of
/// standard input is a JSON argv given to its `cli.main()` (the `sev-snp-measure` entry point), or
/// `["--sha256", PATH]` for hashlib's SHA-256 of a file. Returns one result per line.
enum MeasurePeer {
    struct Outcome: Equatable {
        let status: Int
        let stdout: String
        let stderr: String
    }

    static let requiredVersion = "0.0.13"

    static let script = #"""
        import contextlib, hashlib, io, json, sys
        import importlib.metadata as metadata
        try:
            version = metadata.version("sev-snp-measure")
            from sevsnpmeasure import cli
        except Exception as e:
            print(json.dumps({"missing": repr(e)}))
            sys.exit(0)
        results = []
        for line in sys.stdin:
            argv = json.loads(line)
            if argv[0] == "--sha256":
                with open(argv[1], "rb") as f:
                    results.append({"status": 0, "stdout": hashlib.sha256(f.read()).hexdigest(), "stderr": ""})
                continue
            out, err = io.StringIO(), io.StringIO()
            sys.argv = ["sev-snp-measure"] + argv
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    status = cli.main()
                except SystemExit as e:
                    status = e.code if isinstance(e.code, int) else 1
                except Exception as e:
                    status = 1
                    print(f"{type(e).__name__}: {e}", file=sys.stderr)
            results.append({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()})
        print(json.dumps({"version": version, "results": results}))
        """#

    /// Whether python3 can import the peer (the suite is skipped, with that reason, when it cannot).
    static let isInstalled: Bool = {
        guard let output = try? PythonPeer.run(script, input: []) else { return false }
        return !output.contains("\"missing\"")
    }()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs every argv; fails when the installed peer is not 0.0.13.
    static func run(_ argvs: [[String]]) throws -> [Outcome] {
        let input = try argvs.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        let output = try PythonPeer.run(script, input: Array(input.utf8))
        guard let document = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw Failure(description: "peer output is not a JSON object: \(output.prefix(200))")
        }
        guard let version = document["version"] as? String else { throw Failure(description: "sev-snp-measure missing: \(document["missing"] ?? "")") }
        guard version == requiredVersion else { throw Failure(description: "sev-snp-measure \(version) installed, the tests compare with \(requiredVersion)") }
        let results = document["results"] as? [[String: Any]] ?? []
        return results.map { Outcome(status: $0["status"] as? Int ?? -1, stdout: $0["stdout"] as? String ?? "", stderr: $0["stderr"] as? String ?? "") }
    }
}
