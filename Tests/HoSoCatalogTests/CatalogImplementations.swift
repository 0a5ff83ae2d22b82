import Foundation
import HoSoCatalog
import Testing

/// The catalog implementations every contract test runs against. The PostgreSQL catalog joins here.
enum CatalogImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite

    var testDescription: String { rawValue }

    /// A fresh, empty catalog, and a way to open it again as another process would.
    func makeEmpty() throws -> CatalogHandle {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("catalog.sqlite").path
            return CatalogHandle(catalog: try SQLiteCatalog(path: path), reopen: { try SQLiteCatalog(path: path) },
                                 directory: directory)
        }
    }
}

struct CatalogHandle {
    let catalog: any Catalog
    let reopen: () throws -> any Catalog
    let directory: URL
}
