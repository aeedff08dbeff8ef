/* SPDX-License-Identifier: MIT */
/* Common passwords that attackers try first (see accounts_password_problem): frequent entries of
 * published leaked-password lists of at least ten characters (shorter ones already fail the
 * length rule), lower case. Compared case-insensitively. */
#include <stddef.h>

#include "domain/accounts.h"

const char *const accounts_common_passwords[] = {
    "!qaz2wsx3edc",     "!qaz@wsx#edc",   "0000000000",   "00000000000",   "0123456789",
    "0987654321",       "1111111111",     "11111111111",  "1122334455",    "1212121212",
    "12121212121",      "1231231231",     "123123123123", "1234512345",    "123454321a",
    "1234554321",       "1234567890",     "1234567890a",  "1234567891",    "12345678910",
    "1234567899",       "123456789a",     "123456789q",   "1234qwer",      "1234qwerasdf",
    "123qweasd1",       "123qweasdzxc",   "1357924680",   "147258369",     "1472583690",
    "1a2b3c4d5e",       "1password1",     "1q2w3e4r5t",   "1q2w3e4r5t6y",  "1qaz!qaz1qaz",
    "1qaz2wsx3edc",     "1qaz@wsx3edc",   "1qazxsw23edc", "2222222222",    "2468013579",
    "3333333333",       "4444444444",     "5555555555",   "6666666666",    "7777777777",
    "8888888888",       "9876543210",     "987654321a",   "9999999999",    "a123456789",
    "a1b2c3d4e5",       "a1s2d3f4g5",     "aaaaaaaaaa",   "abc1234567",    "abcabcabc1",
    "abcd123456",       "abcdef1234",     "abcdefg123",   "abcdefghij",    "admin12345",
    "admin123456",      "admin@1234",     "adminadmin",   "administrador", "administrator",
    "administrator1",   "alexander1",     "asdf123456",   "asdfasdf12",    "asdfasdfasdf",
    "asdfghjkl1",       "asdfghjkl123",   "asdfghjkl;",   "autumn2024",    "autumn2025",
    "baseball123",      "basketball",     "basketball1",  "batman1234",    "blink182182",
    "butterfly1",       "changeme!1",     "changeme123",  "changemenow",   "charlie123",
    "chocolate1",       "christmas1",     "christopher",  "company123",    "company2025",
    "computer123",      "cookie1234",     "december2025", "default123",    "dragon12345",
    "elizabeth1",       "football12",     "football123",  "freedom123",    "fuckyou123",
    "happy12345",       "hello12345",     "hellohello",   "helloworld",    "helloworld1",
    "iloveyou!!",       "iloveyou12",     "iloveyou123",  "iloveyou1234",  "iloveyou2",
    "iloveyouforever",  "iloveyouso",     "internet123",  "january2025",   "january2026",
    "jennifer123",      "jessica123",     "jordan2323",   "killer1234",    "letmein123",
    "letmeinnow",       "liverpool1",     "manchester",   "manchester1",   "master12345",
    "michael123",       "michelle12",     "minecraft1",   "minecraft123",  "monday1234",
    "monkey12345",      "mypassword",     "mypassword1",  "mypassword123", "newpassword",
    "newpassword1",     "newpassword123", "nopassword",   "p@55w0rd123",   "p@ssw0rd1",
    "p@ssw0rd123",      "p@ssword123",    "passpass12",   "passw0rd123",   "password!1",
    "password01",       "password12",     "password123",  "password123!",  "password1234",
    "password12345",    "password123456", "password2024", "password2025",  "password2026",
    "passwordpassword", "pokemon123",     "princess123",  "q123456789",    "q1w2e3r4t5",
    "q1w2e3r4t5y6",     "q1w2e3r4t5y6u7", "qazwsxedc",    "qazwsxedc123",  "qazwsxedcrfv",
    "qwer1234qwer",     "qwerty123!",     "qwerty1234",   "qwerty12345",   "qwerty123456",
    "qwertyqwerty",     "qwertyuiop",     "qwertyuiop1",  "qwertyuiop123", "rootroot12",
    "secret1234",       "secretpassword", "shadow12345",  "soccer1234",    "spring2024",
    "spring2025",       "spring2026",     "starwars123",  "summer2020",    "summer2021",
    "summer2022",       "summer2023",     "summer2024",   "summer2025",    "summer2026",
    "sunflower1",       "sunshine123",    "superman123",  "superuser1",    "test123456",
    "testing123",       "testtest12",     "trellis123",   "trustno1234",   "unknown123",
    "welcome123",       "welcome1234",    "welcome2020",  "welcome2021",   "welcome2022",
    "welcome2023",      "welcome2024",    "welcome2025",  "welcome2026",   "welcome@123",
    "welcometo1",       "whatever12",     "winter2024",   "winter2025",    "winter2026",
    "zaq12wsx",         "zaq1zaq1zaq1",   "zxcvbnm123",   "zxcvbnmasd",    NULL,
};
