using System.Buffers.Binary;
using System.Text;

namespace RcML.Native;

/// <summary>
/// Reads and edits the version-needs table (.gnu.version_r) of a 64-bit little-endian ELF shared library.
/// Used to mark a needed symbol version as weak (VER_FLG_WEAK), so the dynamic loader accepts an older
/// library that does not define that version.
/// </summary>
internal static class ElfVersionNeeds
{
    /// <summary>The ELF flag that makes a version need optional.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVerdef = 0x6ffffffd;

    /// <summary>One needed version: the library that should define it, its name, flags and where the flags sit.</summary>
    public readonly record struct VersionNeed(string File, string Version, ushort Flags, long FlagsOffset);

    /// <summary>Lists every version the library needs from other libraries.</summary>
    public static IReadOnlyList<VersionNeed> ReadNeeds(byte[] elf)
    {
        var sections = ReadSections(elf);
        var verneed = sections.FirstOrDefault(s => s.Type == ShtGnuVerneed);
        if (verneed.Type == 0) return Array.Empty<VersionNeed>();
        var strtab = sections[(int)verneed.Link];
        var result = new List<VersionNeed>();
        long entry = verneed.Offset;
        for (int i = 0; i < (int)verneed.Info; i++)
        {
            ushort count = U16(elf, entry + 2);
            string file = CString(elf, strtab.Offset + U32(elf, entry + 4));
            long aux = entry + U32(elf, entry + 8);
            for (int j = 0; j < count; j++)
            {
                ushort flags = U16(elf, aux + 4);
                string name = CString(elf, strtab.Offset + U32(elf, aux + 8));
                result.Add(new VersionNeed(file, name, flags, aux + 4));
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(elf, entry + 12);
            if (next == 0) break;
            entry += next;
        }
        return result;
    }

    /// <summary>Lists the versions a library defines (its .gnu.version_d), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
    public static IReadOnlySet<string> ReadDefinitions(byte[] elf)
    {
        var sections = ReadSections(elf);
        var verdef = sections.FirstOrDefault(s => s.Type == ShtGnuVerdef);
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (verdef.Type == 0) return result;
        var strtab = sections[(int)verdef.Link];
        long entry = verdef.Offset;
        for (int i = 0; i < (int)verdef.Info; i++)
        {
            long aux = entry + U32(elf, entry + 12);
            result.Add(CString(elf, strtab.Offset + U32(elf, aux)));
            uint next = U32(elf, entry + 16);
            if (next == 0) break;
            entry += next;
        }
        return result;
    }

    /// <summary>Sets VER_FLG_WEAK on the listed needs, in place. Returns how many entries changed.</summary>
    public static int MarkWeak(byte[] elf, IEnumerable<VersionNeed> needs)
    {
        int changed = 0;
        foreach (var need in needs)
        {
            if ((need.Flags & VerFlagWeak) != 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan((int)need.FlagsOffset), (ushort)(need.Flags | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static List<Section> ReadSections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A);
        int shnum = U16(elf, 0x3C);
        var sections = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections.Add(new Section(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20),
                U32(elf, h + 0x28), U32(elf, h + 0x2C)));
        }
        return sections;
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at));
    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at));
    private static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)at));

    private static string CString(byte[] b, long at)
    {
        int end = Array.IndexOf(b, (byte)0, (int)at);
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
