import Foundation

/// The XMP metadata stream a PDF/A file carries: its PDF/A identification and the producer.
///
/// No dates: the same scan always normalizes to the same bytes, so a retried job stores the same blob.
enum XMPPacket {
    static func packet(producer: String, title: String?, pdfA: Bool) -> [UInt8] {
        var lines = [
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
            "  <rdf:Description rdf:about=\"\"",
            "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"",
            "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"",
            "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
            "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
        ]
        if pdfA {
            lines += ["   <pdfaid:part>2</pdfaid:part>", "   <pdfaid:conformance>B</pdfaid:conformance>"]
        }
        lines += [
            "   <pdf:Producer>\(escape(producer))</pdf:Producer>",
            "   <xmp:CreatorTool>\(escape(producer))</xmp:CreatorTool>",
            "   <dc:format>application/pdf</dc:format>",
        ]
        if let title {
            lines.append("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(title))</rdf:li></rdf:Alt></dc:title>")
        }
        lines += ["  </rdf:Description>", " </rdf:RDF>", "</x:xmpmeta>", "<?xpacket end=\"w\"?>"]
        return Array(lines.joined(separator: "\n").utf8)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
