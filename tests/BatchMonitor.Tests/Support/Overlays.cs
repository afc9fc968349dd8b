using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// What the app's layout puts around every page for MudBlazor: the popover, dialog and snackbar hosts. A component test
/// renders it once per tab; dialogs, menus and notifications appear in its markup, where a user would see them.
/// </summary>
public sealed class Overlays : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    }
}
