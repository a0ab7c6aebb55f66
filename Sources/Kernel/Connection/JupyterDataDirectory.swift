import Foundation

/// Jupyter's per-user data directory, found by jupyter_core's rule for Linux
/// (`jupyter_core.paths.jupyter_data_dir`): `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`,
/// else `$HOME/.local/share/jupyter`. The home directory comes from `$HOME` as Python's
/// `os.path.expanduser` takes it, so JupyterHub spawners and containers that set another HOME
/// find what `convlens install --user` wrote; the password database is the fallback only when
/// HOME is unset.
public enum JupyterDataDirectory {
    public static func user(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let custom = environment["JUPYTER_DATA_DIR"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("jupyter")
        }
        let home: URL
        if let value = environment["HOME"], !value.isEmpty {
            home = URL(fileURLWithPath: value)
        } else {
            home = FileManager.default.homeDirectoryForCurrentUser
        }
        return home.appendingPathComponent(".local/share/jupyter")
    }
}
