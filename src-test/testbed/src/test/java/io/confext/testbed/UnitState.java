package io.confext.testbed;

/** The unit properties the reload tests look at, read with systemctl show. */
record UnitState(String activeState, String subState, String reloadResult) {

    static UnitState of(SystemdHost host, String unit) {
        String out = host.execOk("systemctl", "show", "--property=ActiveState,SubState,ReloadResult", unit)
                .stdout();
        java.util.Map<String, String> p = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new UnitState(p.get("ActiveState"), p.get("SubState"), p.getOrDefault("ReloadResult", ""));
    }
}
