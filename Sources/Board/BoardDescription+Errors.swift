// Board-file errors: one type, whose text names the file, the line and
// column, the field path, what was expected and what was found, like
//
//   machines/rpi4.yaml:14:5: uarts[0].irq: expected an SPI INTID between 32 and 287, got 20

/// A board file that cannot be read, parsed or accepted, with where and why.
public struct BoardFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The board file's path as given.
    public var file: String
    /// The line (from 1), when the problem has a place in the file.
    public var line: Int?
    /// The column (from 1), when the problem has a place in the file.
    public var column: Int?
    /// The field path ("cpu.count", "uarts[0].irq"); empty for the file as a whole.
    public var field: String
    /// What was expected and what was found.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    init(file: String, at position: SourcePosition?, field: String, message: String) {
        self.init(file: file, line: position?.line, column: position?.column, field: field, message: message)
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        s += ": "
        if !field.isEmpty { s += "\(field): " }
        return s + message
    }
}
