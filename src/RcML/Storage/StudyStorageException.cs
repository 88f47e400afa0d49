namespace RcML.Storage;

/// <summary>
/// A study store refused or failed an operation: unreachable database, a schema newer than this code, a study
/// joined with a different search space. Messages never contain a password (URLs appear redacted).
/// </summary>
public sealed class StudyStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageException(string message, Exception? inner = null) : base(message, inner) { }
}
