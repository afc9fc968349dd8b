namespace BatchMonitor.Web.Auth.Passwords;

/// <summary>
/// The passwords tried first by anyone guessing (the top of the public breach lists), lower case. Shorter ones are
/// here too: with digits or symbols added at the end (<c>dragon2024!</c>) they pass the length rule, so they are
/// compared without that ending as well.
/// </summary>
internal static class CommonPasswords
{
    private static readonly HashSet<string> List = new(
        """
        123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football monkey
        letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman 1qaz2wsx 7777777
        121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster soccer harley batman
        andrew tigger sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233 george
        computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger
        princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew access yankees 987654321 dallas
        austin thunder taylor matrix welcome welcome1 admin
        administrator root toor login passw0rd p@ssw0rd p@ssword password1 password12 password123 password1234 qwerty123
        qwerty1234 qwertyuiop123 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e 1qazxsw2 zaq12wsx zaq1zaq1 q1w2e3r4 q1w2e3r4t5y6
        asdfghjkl asdfghjkl123 zxcvbnm123 qwer1234 abcd1234 abcdef abcdefg abcdefgh abcdefghijkl abc12345 abcabc 123abc
        iloveyou1 iloveyou123 loveyou lovely hello hello123 helloworld secret secret123 changeme changeme123 default
        guest test test123 testing testtest demo demo123 user user123 temp temp123 letmein123 welcome123 monkey123
        dragon123 football1 baseball1 superman1 batman123 princess1 sunshine1 shadow123 master123 trustno11 whatever
        starwars1 pokemon minecraft fortnite samsung apple google facebook linkedin twitter instagram youtube microsoft
        windows linux ubuntu oracle mysql postgres server database backup batchmonitor batch monitor
        123456789012 1234567890123 12345678901234 0123456789 01234567890 9876543210 98765432100 147258369 159357 1234qwer
        qwertyqwerty passwordpassword adminadmin administrator1 admin123 admin1234 admin12345 root123 rootroot
        football123 baseball123 soccer123 hockey123 jordan23 michael1 jennifer1 charlie1 thomas1 daniel1 andrew1 jessica1
        summer2024 winter2024 spring2024 autumn2024 summer winter spring autumn january february march april may june
        july august september october november december monday friday sunday
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        StringComparer.Ordinal);

    public static bool Contains(string lowerCasePassword) => List.Contains(lowerCasePassword);
}
