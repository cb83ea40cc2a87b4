package dev.mole.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mole.contracts.language.Language;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.AliasMove;
import dev.mole.registry.DownloadPlan;
import dev.mole.registry.ModelQuery;
import dev.mole.registry.ModelVersion;
import dev.mole.registry.Page;
import dev.mole.registry.RegisteredModel;
import dev.mole.registry.RegistryException;
import dev.mole.registry.VersionComponent;
import dev.mole.registry.client.ContentCache;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./mole registry list|show|alias|download}: the registry for people, on the platform's own database and object
 * store (the same rules as the REST API; no token, as the CLI runs where the platform's credentials are).
 *
 * <pre>
 *   registry list [--json]
 *   registry show MODEL[:VERSION|@ALIAS] [--json]
 *   registry alias MODEL ALIAS VERSION [--expect N] [--json]
 *   registry download MODEL:VERSION|MODEL@ALIAS [--languages python,rust] [--to DIR] [--cache DIR] [--json]
 * </pre>
 */
final class RegistryCommand {
    static final String USAGE = "usage: mole registry list | show MODEL[:VERSION|@ALIAS] | alias MODEL ALIAS VERSION [--expect N]"
            + " | download MODEL:VERSION|MODEL@ALIAS [--languages python,rust] [--to DIR] [--cache DIR]  (each with --json)";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final AdapterRegistry registry;
    private final PrintStream out;
    private final Path home;

    RegistryCommand(AdapterRegistry registry, PrintStream out, Path home) {
        this.registry = registry;
        this.out = out;
        this.home = home;
    }

    int run(List<String> argsIn) throws IOException {
        List<String> args = new ArrayList<>(argsIn);
        boolean json = args.remove("--json");
        if (args.isEmpty()) throw new MoleLauncher.UsageException(USAGE);
        String sub = args.remove(0);
        Map<String, String> flags = flags(args, Set.of("--expect", "--languages", "--to", "--cache"));
        try {
            return switch (sub) {
                case "list" -> list(json);
                case "show" -> show(one(args, "MODEL[:VERSION|@ALIAS]"), json);
                case "alias" -> alias(args, flags.get("--expect"), json);
                case "download" -> download(one(args, "MODEL:VERSION or MODEL@ALIAS"), flags, json);
                default -> throw new MoleLauncher.UsageException("unknown registry command '" + sub + "'. " + USAGE);
            };
        } catch (RegistryException e) {
            throw new MoleLauncher.UsageException(e.getMessage());
        }
    }

    private int list(boolean json) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String token = null;
        do {
            Page<RegisteredModel> p = registry.models(new ModelQuery(null, null, null, null, token, ModelQuery.MAX_LIMIT));
            for (RegisteredModel m : p.items()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", m);
                row.put("aliases", registry.aliases(m.name()));
                rows.add(row);
            }
            token = p.nextPageToken();
        } while (token != null);
        if (json) return print(rows);
        if (rows.isEmpty()) {
            out.println("No registered models.");
            return 0;
        }
        out.printf("%-24s %8s  %-14s %s%n", "MODEL", "VERSIONS", "BASE", "ALIASES");
        for (Map<String, Object> r : rows) {
            RegisteredModel m = (RegisteredModel) r.get("model");
            out.printf("%-24s %8d  %-14s %s%n", m.name(), m.latestVersion(), m.baseSha256().substring(0, 12), r.get("aliases"));
        }
        return 0;
    }

    private int show(String target, boolean json) throws IOException {
        Ref ref = Ref.parse(target, false);
        if (ref.version() == null && ref.alias() == null) {
            RegisteredModel m = registry.model(ref.model()).orElseThrow(() -> new MoleLauncher.UsageException("no model " + ref.model()));
            List<ModelVersion> versions = all(ref.model());
            if (json) return print(Map.of("model", m, "aliases", registry.aliases(m.name()), "versions", versions));
            out.println(m.name() + "  base " + m.baseSha256().substring(0, 12) + " at " + m.baseLocation() + (m.description().isEmpty() ? "" : "  " + m.description()));
            out.printf("%-4s %-9s %-14s %-22s %-5s %-12s %s%n", "V", "METHOD", "CONTENT", "EXPERIMENT/ARM", "SEED", "PASS@1", "ALIASES");
            for (ModelVersion v : versions) {
                String exp = (v.lineage().experimentId() == null ? "-" : v.lineage().experimentId()) + "/" + (v.lineage().arm() == null ? "-" : v.lineage().arm());
                Double pass = v.metrics().get("pass1.synthesis");
                out.printf("%-4d %-9s %-14s %-22s %-5d %-12s %s%s%n", v.number(), v.method(), v.manifestSha256().substring(0, 12), exp,
                        v.lineage().seed(), pass == null ? "-" : String.format("%.3f", pass), v.aliases(), v.deprecated() ? "  (deprecated)" : "");
            }
            return 0;
        }
        ModelVersion v = resolve(ref);
        if (json) return print(Map.of("version", v, "aliasHistory", historyOf(v)));
        out.println(v.model() + " v" + v.number() + (v.deprecated() ? "  DEPRECATED: " + v.deprecation() : ""));
        out.println("  content   sha256 " + v.manifestSha256());
        out.println("  method    " + v.method() + " " + v.lineage().settings());
        out.println("  lineage   experiment " + v.lineage().experimentId() + ", arm " + v.lineage().arm() + ", seed " + v.lineage().seed()
                + ", dataset " + v.lineage().datasetId() + ", platform " + v.lineage().platformVersion());
        out.println("  aliases   " + v.aliases() + "   tags " + v.tags() + "   metrics " + v.metrics());
        for (VersionComponent c : v.components()) {
            out.printf("  %-8s %-10s %-40s %10d  %s%n", c.kind(), c.language() == null ? "" : c.language().id(), c.file(), c.size(), c.sha256().substring(0, 12));
        }
        return 0;
    }

    private Map<String, List<AliasMove>> historyOf(ModelVersion v) {
        Map<String, List<AliasMove>> h = new LinkedHashMap<>();
        for (String a : v.aliases()) h.put(a, registry.aliasHistory(v.model(), a));
        return h;
    }

    private int alias(List<String> args, String expect, boolean json) throws IOException {
        if (args.size() != 3) throw new MoleLauncher.UsageException("usage: mole registry alias MODEL ALIAS VERSION [--expect N]");
        int version = whole(args.get(2), "VERSION");
        AliasMove m = registry.moveAlias(args.get(0), args.get(1), version, expect == null ? null : whole(expect, "--expect"), "cli:" + System.getProperty("user.name"));
        if (json) return print(m);
        out.println(m.model() + "@" + m.alias() + ": " + (m.fromVersion() == null ? "created" : "v" + m.fromVersion()) + " -> v" + m.toVersion());
        return 0;
    }

    private int download(String target, Map<String, String> flags, boolean json) throws IOException {
        ModelVersion v = resolve(Ref.parse(target, true));
        Set<Language> languages = EnumSet.noneOf(Language.class);
        String ls = flags.get("--languages");
        if (ls != null) {
            for (String s : ls.split(",")) if (!s.isBlank()) languages.add(Language.parse(s.trim()));
        }
        DownloadPlan plan = registry.downloadPlan(v.model(), v.number(), languages, Duration.ofHours(1));
        Path to = Path.of(flags.getOrDefault("--to", v.model() + "-v" + v.number()));
        ContentCache cache = new ContentCache(Path.of(flags.getOrDefault("--cache", home.resolve("registry-cache").toString())));
        Files.createDirectories(to);
        long bytes = 0;
        for (DownloadPlan.Item i : plan.items()) {
            Path cached = cache.get(i.sha256(), i.size(), i.name(), () -> URI.create(i.url()).toURL().openStream());
            Path dest = to.resolve(i.name());
            Files.createDirectories(dest.getParent());
            Files.copy(cached, dest, StandardCopyOption.REPLACE_EXISTING);
            bytes += i.size();
        }
        if (json) return print(Map.of("folder", to.toAbsolutePath().toString(), "plan", plan));
        out.println("Downloaded " + v.model() + " v" + v.number() + " (" + plan.items().size() + " files, " + bytes + " bytes, sha256 checked) to "
                + to.toAbsolutePath() + "; base " + plan.baseSha256().substring(0, 12) + " at " + plan.baseLocation());
        return 0;
    }

    private List<ModelVersion> all(String model) {
        List<ModelVersion> vs = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> p = registry.versions(model, token, ModelQuery.MAX_LIMIT);
            vs.addAll(p.items());
            token = p.nextPageToken();
        } while (token != null);
        return vs;
    }

    private ModelVersion resolve(Ref ref) {
        if (ref.alias() != null) {
            return registry.versionByAlias(ref.model(), ref.alias())
                    .orElseThrow(() -> new MoleLauncher.UsageException("model " + ref.model() + " has no alias " + ref.alias()));
        }
        return registry.version(ref.model(), ref.version())
                .orElseThrow(() -> new MoleLauncher.UsageException("model " + ref.model() + " has no version " + ref.version()));
    }

    /** MODEL, MODEL:VERSION or MODEL@ALIAS. */
    record Ref(String model, Integer version, String alias) {
        static Ref parse(String s, boolean needVersion) {
            int at = s.indexOf('@'), colon = s.indexOf(':');
            if (at > 0) return new Ref(s.substring(0, at), null, s.substring(at + 1));
            if (colon > 0) return new Ref(s.substring(0, colon), whole(s.substring(colon + 1), "VERSION"), null);
            if (needVersion) throw new MoleLauncher.UsageException("name a version: " + s + ":VERSION or " + s + "@ALIAS");
            return new Ref(s, null, null);
        }
    }

    private int print(Object o) throws IOException {
        out.println(JSON.writeValueAsString(o));
        return 0;
    }

    private static String one(List<String> args, String what) {
        if (args.size() != 1) throw new MoleLauncher.UsageException("name one " + what + ". " + USAGE);
        return args.get(0);
    }

    private static int whole(String v, String what) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MoleLauncher.UsageException(what + " must be a whole number: '" + v + "'");
        }
    }

    private static Map<String, String> flags(List<String> args, Set<String> known) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (!known.contains(a)) throw new MoleLauncher.UsageException("unknown option " + a + ". " + USAGE);
                if (i + 1 >= args.size()) throw new MoleLauncher.UsageException(a + " needs a value");
                flags.put(a, args.get(i + 1));
                args.remove(i);
                args.remove(i);
            } else {
                i++;
            }
        }
        return flags;
    }
}
