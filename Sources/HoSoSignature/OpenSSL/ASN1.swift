import COpenSSL
import Foundation

/// Reading OpenSSL's ASN.1 strings and times into Swift values.
enum ASN1 {
    /// The bytes of an ASN.1 string (OCTET STRING, a SEQUENCE's DER, ...).
    static func bytes(_ string: UnsafePointer<ASN1_STRING>?) -> [UInt8]? {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    /// An ASN.1 UTCTime or GeneralizedTime as a date.
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var fields = tm()
        guard let time, ASN1_TIME_to_tm(time, &fields) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&fields)))
    }
}
