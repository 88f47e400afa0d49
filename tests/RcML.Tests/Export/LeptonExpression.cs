using System.Globalization;
using MathNet.Numerics;

namespace RcML.Tests.Export;

/// <summary>
/// Evaluates the subset of PLUMED's Lepton expression syntax the PLUMED exporter writes:
/// numbers (with exponents), variables, + - * / ^, unary minus, parentheses, and the functions
/// exp log sqrt sin cos tanh erf step abs min max. Precedence as in Lepton: ^ binds tighter than unary minus.
/// </summary>
internal sealed class LeptonExpression
{
    private readonly string _text;
    private int _at;
    private IReadOnlyDictionary<string, double> _variables = new Dictionary<string, double>();

    private LeptonExpression(string text) => _text = text;

    public static double Evaluate(string expression, IReadOnlyDictionary<string, double> variables)
    {
        var parser = new LeptonExpression(expression) { _variables = variables };
        double value = parser.Sum();
        if (parser._at != expression.Length)
            throw new FormatException($"Unexpected '{expression[parser._at..]}' in '{expression}'.");
        return value;
    }

    private double Sum()
    {
        double value = Product();
        while (_at < _text.Length && _text[_at] is '+' or '-')
        {
            char op = _text[_at++];
            if (_at < _text.Length && _text[_at] is '-' or '+')
                throw new FormatException($"Sign right after '{op}' at {_at} in '{_text}' (the exporter should avoid it).");
            double right = Product();
            value = op == '+' ? value + right : value - right;
        }
        return value;
    }

    private double Product()
    {
        double value = Unary();
        while (_at < _text.Length && _text[_at] is '*' or '/')
        {
            char op = _text[_at++];
            if (_at < _text.Length && _text[_at] is '-' or '+')
                throw new FormatException($"Sign right after '{op}' at {_at} in '{_text}' (the exporter should parenthesize).");
            double right = Unary();
            value = op == '*' ? value * right : value / right;
        }
        return value;
    }

    private double Unary()
    {
        if (_at < _text.Length && _text[_at] == '-')
        {
            _at++;
            return -Unary();
        }
        return Power();
    }

    private double Power()
    {
        double value = Primary();
        if (_at < _text.Length && _text[_at] == '^')
        {
            _at++;
            return Math.Pow(value, Unary());
        }
        return value;
    }

    private double Primary()
    {
        if (_at >= _text.Length) throw new FormatException($"Unexpected end of '{_text}'.");
        char c = _text[_at];
        if (c == '(')
        {
            _at++;
            double value = Sum();
            Expect(')');
            return value;
        }
        if (char.IsDigit(c) || c == '.')
        {
            int start = _at;
            while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '.')) _at++;
            if (_at < _text.Length && _text[_at] is 'e' or 'E')
            {
                _at++;
                if (_text[_at] is '+' or '-') _at++;
                while (_at < _text.Length && char.IsDigit(_text[_at])) _at++;
            }
            return double.Parse(_text[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        if (char.IsLetter(c) || c == '_')
        {
            int start = _at;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
            string name = _text[start.._at];
            if (_at < _text.Length && _text[_at] == '(')
            {
                _at++;
                var args = new List<double> { Sum() };
                while (_text[_at] == ',') { _at++; args.Add(Sum()); }
                Expect(')');
                return Call(name, args);
            }
            return _variables.TryGetValue(name, out var v) ? v : throw new FormatException($"Unknown variable '{name}' in '{_text}'.");
        }
        throw new FormatException($"Unexpected '{c}' at {_at} in '{_text}'.");
    }

    private static double Call(string name, List<double> a) => (name, a.Count) switch
    {
        ("exp", 1) => Math.Exp(a[0]),
        ("log", 1) => Math.Log(a[0]),
        ("sqrt", 1) => Math.Sqrt(a[0]),
        ("sin", 1) => Math.Sin(a[0]),
        ("cos", 1) => Math.Cos(a[0]),
        ("tanh", 1) => Math.Tanh(a[0]),
        ("erf", 1) => SpecialFunctions.Erf(a[0]),
        ("step", 1) => a[0] >= 0 ? 1 : 0, // Lepton: step(0) = 1
        ("abs", 1) => Math.Abs(a[0]),
        ("min", 2) => Math.Min(a[0], a[1]),
        ("max", 2) => Math.Max(a[0], a[1]),
        _ => throw new FormatException($"Unsupported function {name} with {a.Count} arguments."),
    };

    private void Expect(char c)
    {
        if (_at >= _text.Length || _text[_at] != c) throw new FormatException($"Expected '{c}' at {_at} in '{_text}'.");
        _at++;
    }
}

/// <summary>Runs a PLUMED input made of CUSTOM lines (ARG, VAR, FUNC, PERIODIC) on given CV values.</summary>
internal static class PlumedCustomInput
{
    public static Dictionary<string, double> Run(string plumed, IReadOnlyDictionary<string, double> cvs)
    {
        var values = new Dictionary<string, double>(cvs);
        foreach (var raw in plumed.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            string label = line[..colon];
            var words = line[(colon + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] != "CUSTOM") throw new FormatException($"Not a CUSTOM line: {line}");
            var keys = words.Skip(1).ToDictionary(w => w[..w.IndexOf('=')], w => w[(w.IndexOf('=') + 1)..]);
            if (keys["PERIODIC"] != "NO") throw new FormatException($"Expected PERIODIC=NO: {line}");
            var args = keys["ARG"].Split(',');
            var vars = keys["VAR"].Split(',');
            if (args.Length != vars.Length) throw new FormatException($"ARG and VAR differ in length: {line}");
            var scope = new Dictionary<string, double>();
            for (int i = 0; i < args.Length; i++)
                scope[vars[i]] = values.TryGetValue(args[i], out var v) ? v : throw new FormatException($"Label '{args[i]}' used before it is defined.");
            if (values.ContainsKey(label)) throw new FormatException($"Label '{label}' defined twice.");
            values[label] = LeptonExpression.Evaluate(keys["FUNC"], scope);
        }
        return values;
    }
}
