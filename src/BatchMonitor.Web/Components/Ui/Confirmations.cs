using MudBlazor;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>A question asked before something destroys work.</summary>
public sealed record ConfirmRequest(string Title, string Message, string ConfirmText, string DismissText = "Keep it", bool Danger = true);

/// <summary>Asks before something destroys work: <c>if (await confirm.AskAsync(...))</c>. One per circuit (tab).</summary>
public sealed class Confirmations(IDialogService dialogs)
{
    private static readonly DialogOptions Options = new()
    {
        CloseOnEscapeKey = true,
        BackdropClick = true,
        MaxWidth = MaxWidth.ExtraSmall,
        FullWidth = true,
        DefaultFocus = DefaultFocus.LastChild,
    };

    /// <summary>Shows the question; true when the user confirmed.</summary>
    public async Task<bool> AskAsync(ConfirmRequest request)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, request.Title },
            { d => d.Message, request.Message },
            { d => d.ConfirmText, request.ConfirmText },
            { d => d.DismissText, request.DismissText },
            { d => d.Danger, request.Danger },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(request.Title, parameters, Options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    public Task<bool> AskAsync(string title, string message, string confirmText, bool danger = true) =>
        AskAsync(new ConfirmRequest(title, message, confirmText, Danger: danger));
}
