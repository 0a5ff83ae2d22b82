import HoSoConfig
import HoSoIngest

extension Configuration {
    /// The configured stations, each checked; a bad one is a configuration error naming its key.
    func stations() throws -> [StationConfig] {
        var stations: [StationConfig] = []
        for (index, fields) in (list(ConfigKeys.stations) ?? []).enumerated() {
            do {
                stations.append(try StationConfig.parse(fields, index: index))
            } catch {
                throw CommandFailure(.configError, error.description)
            }
        }
        if let duplicate = Dictionary(grouping: stations, by: \.id).first(where: { $0.value.count > 1 }) {
            throw CommandFailure(.configError, "stations: id '\(duplicate.key)' is used twice")
        }
        return stations
    }
}
