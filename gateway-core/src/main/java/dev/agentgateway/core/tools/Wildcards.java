package dev.agentgateway.core.tools;

/** Glob matching with {@code *} and {@code ?}, without regular expressions on the call path. */
final class Wildcards {

    private Wildcards() {
    }

    static boolean matches(String pattern, String text) {
        if (pattern.equals("*") || pattern.equals(text)) {
            return true;
        }
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
