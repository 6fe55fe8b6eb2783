import GuestGuardPlatform

/// IMF-fixdate (RFC 9110 §5.6.7), as cookies' `Expires` uses: `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    static func format(_ seconds: Int64) -> String {
        let iso = RFC3339.format(Timestamp(seconds: seconds))  // 1994-11-06T08:49:37Z
        let chars = Array(iso)
        let year = String(chars[0..<4]), month = Int(String(chars[5..<7]))!, day = String(chars[8..<10]), time = String(chars[11..<19])
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekday), \(day) \(months[month - 1]) \(year) \(time) GMT"
    }
}
