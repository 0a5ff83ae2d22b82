import Foundation
import HoSoConfig
import HoSoCore
import HoSoImaging
import HoSoIngest
import HoSoServer
import HoSoSignature

/// What can be checked of a configuration before anything starts, each problem named by its setting:
/// the stations' inboxes, the trust folders, the seal image, the TLS pair. `hoso config check` prints them
/// all; `hoso serve` refuses to start on any of what it uses (all but the seal), `hoso watch` on the
/// stations'.
enum Preflight {
    static func problems(_ configuration: Configuration) -> [ConfigProblem] {
        serving(configuration) + seal(configuration)
    }

    /// The office hours parse, and so does the holiday list, its problem named by its line.
    static func calendar(_ configuration: Configuration) -> [ConfigProblem] {
        do {
            _ = try workCalendar(configuration)
            return []
        } catch let problem as ConfigProblem {
            return [problem]
        } catch {
            return [ConfigProblem(key: ConfigKeys.calendarHolidays.path, reason: "\(error)")]
        }
    }

    /// The configured working-time calendar; a problem names its setting (and the holiday file's line).
    static func workCalendar(_ configuration: Configuration) throws -> WorkCalendar {
        let text = configuration.string(ConfigKeys.calendarWorkHours) ?? WorkHours.standard.description
        let hours: WorkHours
        do { hours = try WorkHours(parsing: text) } catch {
            throw ConfigProblem(key: ConfigKeys.calendarWorkHours.path, reason: error.description)
        }
        guard let path = configuration.string(ConfigKeys.calendarHolidays) else { return WorkCalendar(hours: hours) }
        guard let list = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigProblem(key: ConfigKeys.calendarHolidays.path, reason: "\(path) cannot be read")
        }
        do { return WorkCalendar(hours: hours, listed: try HolidayList(parsing: list)) } catch {
            throw ConfigProblem(key: ConfigKeys.calendarHolidays.path, reason: "\(path) \(error.description)")
        }
    }

    /// What `hoso serve` uses: the stations, the trust folders, the TLS pair, the calendar, the monitored
    /// systems and the timestamp server.
    static func serving(_ configuration: Configuration) -> [ConfigProblem] {
        stations(configuration) + trust(configuration) + tls(configuration) + calendar(configuration) + audit(configuration)
    }

    /// The monitored systems parse; the timestamp server is an http:// URL (what OpenSSL's client speaks).
    static func audit(_ configuration: Configuration) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        do { _ = try MonitorTarget.all(in: configuration) } catch { problems.append(error) }
        if let text = configuration.string(ConfigKeys.auditTSAURL), tsaURL(text) == nil {
            problems.append(ConfigProblem(key: ConfigKeys.auditTSAURL.path, reason: "'\(text)' is not an http:// URL"))
        }
        return problems
    }

    /// `audit.tsa_url` as a URL, when it is an http:// one.
    static func tsaURL(_ text: String) -> URL? {
        guard let url = URL(string: text), url.scheme == "http", url.host?.isEmpty == false else { return nil }
        return url
    }

    /// Refuses to go on (exit 78) when `problems` has any, naming each.
    static func require(_ problems: [ConfigProblem]) throws {
        guard !problems.isEmpty else { return }
        throw CommandFailure(.configError, problems.map(\.description).joined(separator: "; "))
    }

    /// Each station parses, and its inbox is a folder HoSo can write in (it moves files into it), or one
    /// it can create.
    static func stations(_ configuration: Configuration) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for (index, fields) in (configuration.list(ConfigKeys.stations) ?? []).enumerated() {
            let station: StationConfig
            do { station = try StationConfig.parse(fields, index: index) } catch {
                problems.append(ConfigProblem(key: error.key, reason: error.reason))
                continue
            }
            if let reason = writableFolder(station.inbox.path) {
                problems.append(ConfigProblem(key: "stations[\(index)].inbox", reason: "\(station.inbox.path) \(reason)"))
            }
        }
        return problems
    }

    /// The trust anchors' folder holds at least one certificate; the CRLs' folder exists.
    static func trust(_ configuration: Configuration) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let anchors = configuration.string(ConfigKeys.trustAnchors) {
            if let reason = folder(anchors) {
                problems.append(ConfigProblem(key: ConfigKeys.trustAnchors.path, reason: "\(anchors) \(reason)"))
            } else if TrustStore.certificates(in: URL(fileURLWithPath: anchors, isDirectory: true)).isEmpty {
                problems.append(ConfigProblem(key: ConfigKeys.trustAnchors.path, reason: "\(anchors) holds no certificate (PEM or DER)"))
            }
        }
        if let crls = configuration.string(ConfigKeys.trustCRLs), let reason = folder(crls) {
            problems.append(ConfigProblem(key: ConfigKeys.trustCRLs.path, reason: "\(crls) \(reason)"))
        }
        return problems
    }

    /// The seal image is a PNG with an alpha channel (what `hoso sign --appearance` draws).
    static func seal(_ configuration: Configuration) -> [ConfigProblem] {
        guard let seal = configuration.string(ConfigKeys.signingSealImage) else { return [] }
        do { _ = try SealAppearance(width: 100, height: 100, seal: URL(fileURLWithPath: seal)) } catch {
            return [ConfigProblem(key: ConfigKeys.signingSealImage.path, reason: error.description)]
        }
        return []
    }

    /// Both TLS files or neither; the certificate file holds a certificate and the key file its key.
    static func tls(_ configuration: Configuration) -> [ConfigProblem] {
        let (certificateKey, keyKey) = (ConfigKeys.serverTLSCertificate, ConfigKeys.serverTLSKey)
        switch (configuration.string(certificateKey), configuration.string(keyKey)) {
        case (nil, nil):
            return []
        case (.some, nil), (nil, .some):
            return [ConfigProblem(key: "\(certificateKey.path), \(keyKey.path)", reason: "set both for HTTPS, or neither")]
        case (let certificatePath?, let keyPath?):
            guard let certificate = Certificate.load(URL(fileURLWithPath: certificatePath)).first else {
                return [ConfigProblem(key: certificateKey.path, reason: "\(certificatePath) holds no certificate")]
            }
            guard let key = try? Array(Data(contentsOf: URL(fileURLWithPath: keyPath))) else {
                return [ConfigProblem(key: keyKey.path, reason: "\(keyPath) cannot be read")]
            }
            switch certificate.isKeyPair(withPrivateKeyPEM: key) {
            case nil: return [ConfigProblem(key: keyKey.path, reason: "\(keyPath) holds no unencrypted PEM private key")]
            case false?: return [ConfigProblem(key: keyKey.path, reason: "\(keyPath) is not the key of \(certificatePath) (\(certificate.subject))")]
            case true?: return []
            }
        }
    }

    /// Why `path` is not an existing folder, or nil.
    private static func folder(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "does not exist" }
        return isDirectory.boolValue ? nil : "is not a folder"
    }

    /// Why `path` is not a folder this process may write in or create, or nil.
    private static func writableFolder(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let parent = (path as NSString).deletingLastPathComponent
            guard parent != path, !parent.isEmpty else { return "cannot be created" }
            return writableFolder(parent) == nil ? nil : "does not exist and cannot be created by this user"
        }
        guard isDirectory.boolValue else { return "is not a folder" }
        return FileManager.default.isWritableFile(atPath: path) ? nil : "is not writable by this user"
    }
}
