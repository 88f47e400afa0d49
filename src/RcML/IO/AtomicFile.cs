namespace RcML.IO;

/// <summary>
/// Writes files so a reader never sees a partial one and a failed write never replaces a good file:
/// the content goes to a temporary file in the same folder, which is then renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> (given a temporary path) and moves the result into place.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes text atomically.</summary>
    public static void WriteAllText(string path, string contents) => Write(path, temp => File.WriteAllText(temp, contents));

    /// <summary>Writes through a <see cref="TextWriter"/> atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, temp =>
    {
        using var writer = new StreamWriter(temp);
        write(writer);
    });
}
