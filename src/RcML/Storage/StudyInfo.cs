namespace RcML.Storage;

/// <summary>A study: a named search over one search space, whose trials many workers may share.</summary>
/// <param name="StudyId">Storage-wide id.</param>
/// <param name="Name">Unique name.</param>
/// <param name="SearchSpaceJson">The search space (JSON), so a resumed or joining worker searches the same space.</param>
/// <param name="CreatedUtc">Creation time.</param>
/// <param name="Attributes">Free-form study attributes (data file, tuner, seed...).</param>
public sealed record StudyInfo(int StudyId, string Name, string SearchSpaceJson, DateTime CreatedUtc,
    IReadOnlyDictionary<string, string> Attributes);
