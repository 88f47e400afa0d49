// A minimal scoring endpoint for a committor model saved by RcML, listening on 127.0.0.1 only.
//   dotnet run --project samples/DeployWeb -- --model rcml-demo/best.zip [--port 5080]
//   curl -s -X POST http://127.0.0.1:5080/score -H 'Content-Type: application/json' \
//        -d '[{"x":-0.5,"y":1.4,"noise_1":0,"noise_2":0,"noise_3":0,"noise_4":0,"noise_5":0,"noise_6":0}]'
using DeployWeb;

var builder = WebApplication.CreateBuilder(args);
string model = builder.Configuration["model"] ?? "rcml-demo/best.zip";
int port = int.TryParse(builder.Configuration["port"], out var p) ? p : 5080;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}"); // loopback only
builder.Services.AddSingleton(new CommittorScorer(model));

var app = builder.Build();
app.MapGet("/schema", (CommittorScorer scorer) => scorer.InputColumns);
app.MapPost("/score", (Configuration[] configurations, CommittorScorer scorer) =>
    configurations.Length == 0 ? Results.BadRequest("Post a JSON array of configurations.") : Results.Ok(scorer.Score(configurations)));
app.Run();
