import ArgumentParser

/// `hoso`: the command line of the HoSo document pipeline.
@main
struct HoSoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hoso",
        abstract: "The document pipeline of a one-stop office (Bộ phận Một cửa): scans in, stored by case, every step on record.",
        discussion: """
            Data lives under --data DIR (default ./var, or $HOSO_DATA): catalog.sqlite and blobs/. \
            Settings come from --config FILE (default Config/hoso.yaml when present), overridden by HOSO_* \
            environment variables; `hoso config check` shows the effective values.

            Exit codes: 0 ok, 64 usage, 65 bad input data, 66 input missing, 69 unknown case, \
            74 I/O error, 75 try again, 78 configuration error.
            """,
        version: HoSoVersion.current,
        subcommands: [
            InitCommand.self, IngestCommand.self, NormalizeCommand.self, WatchCommand.self, QuarantineCommand.self,
            StatusCommand.self, CasesCommand.self, EventsCommand.self, DemoCommand.self, ConfigCommand.self, BarcodesCommand.self, VerifyCommand.self, SignCommand.self,
            ServeCommand.self, TokenCommand.self, UsersCommand.self, SignersCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, FsckCommand.self, AuditCommand.self, ParseWorkerCommand.self,
        ]
    )
}

enum HoSoVersion {
    static let current = "0.1.0"
}
