using BatchMonitor.Web.Components.Schedules;

namespace BatchMonitor.Tests.Components.Schedules;

public sealed class CronDescriptionTests
{
    [Theory]
    [InlineData("0 * * * * ?", "every minute")]
    [InlineData("0 */10 * * * ?", "every 10 minutes")]
    [InlineData("0 0/5 * * * ?", "every 5 minutes")]
    [InlineData("*/15 * * * * ?", "every 15 seconds")]
    [InlineData("* * * * * ?", "every second")]
    [InlineData("0 15 * * * ?", "hourly at :15")]
    [InlineData("0 0 * * * ?", "hourly at :00")]
    [InlineData("0 30 */2 * * ?", "every 2 hours at :30")]
    [InlineData("0 0 9 * * ?", "daily at 09:00")]
    [InlineData("0 5 18 ? * *", "daily at 18:05")]
    [InlineData("0 0 9 ? * MON-FRI", "weekdays at 09:00")]
    [InlineData("0 0 10 ? * SAT,SUN", "weekends at 10:00")]
    [InlineData("0 0 7 ? * MON", "every Monday at 07:00")]
    [InlineData("0 0 3 1 * ?", "monthly on day 1 at 03:00")]
    [InlineData("  0  */10 * * * ?  ", "every 10 minutes")]
    public void A_common_shape_is_said_in_words(string cron, string words) =>
        Assert.Equal(words, CronDescription.Describe(cron));

    [Theory]
    [InlineData("0 0 9 ? JAN MON")]
    [InlineData("0 0 9-17 * * ?")]
    [InlineData("0 0,30 * * * ?")]
    [InlineData("0 0 9 L * ?")]
    [InlineData("0 0 9 * * ? 2027")]
    [InlineData("0 */10 * * *")]
    [InlineData("not cron at all")]
    public void Anything_else_is_custom(string cron) => Assert.Equal(CronDescription.Custom, CronDescription.Describe(cron));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_expression_has_no_words(string? cron) => Assert.Null(CronDescription.Describe(cron));
}
