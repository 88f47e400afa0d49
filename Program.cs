using System; using System.Linq; using System.Reflection;
var asm = typeof(TorchSharp.torch).Assembly;
foreach (var t in asm.GetExportedTypes())
  foreach (var m in t.GetMethods(BindingFlags.Public|BindingFlags.Static|BindingFlags.DeclaredOnly))
    if (m.Name is "rand" or "bernoulli" or "rand_like")
      Console.WriteLine($"{t.FullName}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name))})");
foreach (var c in asm.GetType("TorchSharp.torch+Generator")!.GetConstructors()) Console.WriteLine("Generator(" + string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name)) + ")");
