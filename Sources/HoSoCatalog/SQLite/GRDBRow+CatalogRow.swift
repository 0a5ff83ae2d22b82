import GRDB

extension Row: CatalogRow {
    func text(_ column: String) -> String? { self[column] }
    func integer(_ column: String) -> Int64? { self[column] }
    func flag(_ column: String) -> Bool? { self[column] }
}
