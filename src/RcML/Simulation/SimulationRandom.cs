namespace RcML.Simulation;

/// <summary>
/// xoshiro256** generator with polar-method Gaussians. Seeded from (seed, stream) through SplitMix64, so every
/// shooting point owns an independent stream and results do not depend on which thread simulates which point.
/// </summary>
internal sealed class SimulationRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimulationRandom(long seed, long stream)
    {
        ulong mix = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 33) * (ulong)count >> 31);

    /// <summary>Two independent standard normal numbers (Marsaglia polar method).</summary>
    public void NextGaussianPair(out double first, out double second)
    {
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        first = u * factor;
        second = v * factor;
    }

    public double NextGaussian()
    {
        NextGaussianPair(out double first, out _);
        return first;
    }
}
