public struct EvlsimCommand { public static func main() {} }
