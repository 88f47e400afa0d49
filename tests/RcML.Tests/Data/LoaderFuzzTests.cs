using System.Globalization;
using System.Text;
using FluentAssertions;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Data;

/// <summary>
/// Seeded random corruptions of a valid shooting-data CSV through the loader: each either loads (into finite values)
/// or raises the documented <see cref="DataFormatException"/>; nothing else escapes.
/// </summary>
public class LoaderFuzzTests : IDisposable
{
    private const int Corruptions = 600;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_corruption_loads_or_raises_the_data_error()
    {
        var valid = File.ReadAllLines(SyntheticCsv.Write(_dir.File("valid.csv"), rows: 40));
        var random = new Random(20261128);
        var path = _dir.File("corrupt.csv");
        int loaded = 0, refused = 0;
        for (int i = 0; i < Corruptions; i++)
        {
            var text = Corrupt(valid, random);
            File.WriteAllText(path, text);
            try
            {
                var data = ShootingData.Load(path, new ShootingDataOptions { Periodic = random.Next(2) == 0 ? ["phi"] : [] });
                data.FeatureValues.SelectMany(v => v).Concat(data.CountA).Concat(data.CountB)
                    .Should().OnlyContain(v => float.IsFinite(v), $"corruption {i} loaded:\n{text}");
                loaded++;
            }
            catch (DataFormatException e)
            {
                e.Message.Should().StartWith(path, $"corruption {i}");
                refused++;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"corruption {i} raised {e.GetType().Name}: {e.Message}\n{text}", e);
            }
        }
        (loaded + refused).Should().Be(Corruptions);
        loaded.Should().BeGreaterThan(0);
        refused.Should().BeGreaterThan(0);
    }

    /// <summary>One to three of: flipped bytes, cut lines, swapped or duplicated fields, stray quotes, huge numbers.</summary>
    private static string Corrupt(string[] valid, Random random)
    {
        var lines = valid.ToList();
        for (int k = random.Next(1, 4); k > 0; k--)
        {
            int line = random.Next(lines.Count);
            var fields = lines[line].Split(',').ToList();
            switch (random.Next(7))
            {
                case 0: // flipped byte
                    var chars = lines[line].ToCharArray();
                    if (chars.Length > 0) chars[random.Next(chars.Length)] = (char)random.Next(1, 256);
                    lines[line] = new string(chars);
                    break;
                case 1: // cut line
                    lines[line] = lines[line][..random.Next(lines[line].Length + 1)];
                    break;
                case 2: // swapped fields
                    int a = random.Next(fields.Count), b = random.Next(fields.Count);
                    (fields[a], fields[b]) = (fields[b], fields[a]);
                    lines[line] = string.Join(",", fields);
                    break;
                case 3: // duplicated field
                    fields.Insert(random.Next(fields.Count), fields[random.Next(fields.Count)]);
                    lines[line] = string.Join(",", fields);
                    break;
                case 4: // stray quote
                    lines[line] = lines[line].Insert(random.Next(lines[line].Length + 1), "\"");
                    break;
                case 5: // huge or tiny numbers
                    string[] huge = ["1e39", "-3.5e38", "1e308", "1e-320", "1e30", "NaN", "-inf", "99999999999999999999999"];
                    fields[random.Next(fields.Count)] = huge[random.Next(huge.Length)];
                    lines[line] = string.Join(",", fields);
                    break;
                default: // removed line
                    lines.RemoveAt(line);
                    break;
            }
            if (lines.Count == 0) break;
        }
        return string.Join("\n", lines) + "\n";
    }
}
