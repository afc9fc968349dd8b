using System.Globalization;
using BatchMonitor.Core.Services;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.OpenApi;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>/openapi/v1.json</c> (signed-in users, like the API): every API endpoint with its parameters, request and
/// response shapes and error codes, and the two ways to authenticate.
/// </summary>
public static class OpenApiDocumentSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddBatchMonitorOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "BatchMonitor API",
                    Version = "v1",
                    Description = "Start, watch and steer batch jobs. Every error is application/problem+json; " +
                                  "validation errors carry errors: {field: [messages]}, and a refused request stores nothing. " +
                                  "Unknown fields in JSON bodies are refused (400 naming the field). Bodies: POST /api/v1/batches, " +
                                  "POST /api/v1/datasets and POST /api/v1/datasets/{id}/items read at most 100 MiB, POST and PUT " +
                                  "/api/v1/schedules 4 MiB, every other call 1 MiB (413 beyond, before the body is read). " +
                                  "Live events: SignalR hub /hubs/batches (SubscribeAll, Subscribe(batchId), Unsubscribe(batchId); " +
                                  "events batchChanged, itemChanged, logAppended, itemsReset, batchDeleted) or GET /api/v1/batches/{id}/events.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyFormat.Header,
                    Description = "A key created by an admin (shown once).",
                };
                document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "BatchMonitor.Session",
                    Description = "The sign-in cookie of /login.",
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("cookie", document)] = [] },
                ];
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                // Items (a batch's, a dataset's rows) are read by a converter of their own, so the generator cannot see
                // their shape: say it here.
                if (ItemLists.TryGetValue(context.JsonTypeInfo.Type, out var what) && schema.Properties is { } properties)
                {
                    properties["items"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MinItems = 1,
                        MaxItems = BatchRequestValidator.MaxItems,
                        Description = $"The {what}, each its key as a string or {{key, group?, payload?}}; keys unique, 1 to 1,000 characters.",
                        Items = ItemSchema(),
                    };
                }
                if (context.JsonTypeInfo.Type == typeof(OptionsInput) && schema.Properties is { } options) DescribeLimits(options);
                return Task.CompletedTask;
            });
        });

    /// <summary>Each numeric option's range (what the validator allows) as minimum and maximum, and in words.</summary>
    private static void DescribeLimits(IDictionary<string, IOpenApiSchema> options)
    {
        foreach (var limit in OptionLimits.All)
        {
            if (!options.TryGetValue(limit.Field, out var found) || found is not OpenApiSchema property) continue;
            property.Minimum = limit.Min.ToString(CultureInfo.InvariantCulture);
            property.Maximum = limit.Max.ToString(CultureInfo.InvariantCulture);
            property.Description = string.Create(CultureInfo.InvariantCulture,
                $"{limit.Meaning} {limit.Min:#,0.###} to {limit.Max:#,0.###}{(limit.Unit is null ? "" : " " + limit.Unit)}" +
                $"{(limit.Span is null ? "" : $" ({limit.Span})")}{(limit.LeftOut is null ? "" : $"; left out for {limit.LeftOut}")}.");
        }
    }

    /// <summary>Request bodies whose <c>items</c> are items, and what they are called there.</summary>
    private static readonly Dictionary<Type, string> ItemLists = new()
    {
        [typeof(CreateBatchRequest)] = "items",
        [typeof(CreateDatasetRequest)] = "rows",
        [typeof(AppendRowsRequest)] = "rows to add",
    };

    private static OpenApiSchema ItemSchema() => new()
    {
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = BatchRequestValidator.MaxKeyLength },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "key" },
                AdditionalPropertiesAllowed = false,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["key"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = BatchRequestValidator.MaxKeyLength },
                    ["group"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, MaxLength = BatchRequestValidator.MaxGroupLength },
                    ["payload"] = new OpenApiSchema { Description = "Any JSON (at most 64 KiB), given to the handler." },
                },
            },
        ],
    };

    public static IEndpointRouteBuilder MapBatchMonitorOpenApi(this IEndpointRouteBuilder app)
    {
        // Another name is the API's 404 problem, not the generator's text/plain "No OpenAPI document with the name".
        app.MapOpenApi("/openapi/{documentName}.json").AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("documentName") as string == DocumentName
                ? await next(context)
                : TypedResults.Problem(title: ApiProblems.TitleFor(StatusCodes.Status404NotFound),
                    detail: $"The OpenAPI document is /openapi/{DocumentName}.json.", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
