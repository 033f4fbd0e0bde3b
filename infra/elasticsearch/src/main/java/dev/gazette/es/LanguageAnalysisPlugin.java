package dev.gazette.es;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.bn.BengaliAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.ckb.SoraniAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.et.EstonianAnalyzer;
import org.apache.lucene.analysis.eu.BasqueAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ga.IrishAnalyzer;
import org.apache.lucene.analysis.gl.GalicianAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.hy.ArmenianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.lt.LithuanianAnalyzer;
import org.apache.lucene.analysis.lv.LatvianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.sr.SerbianAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The language analyzers (english, french, german, ...) under their Elasticsearch names.
 *
 * <p>Elasticsearch ships them in its analysis-common module, which is not published to Maven
 * Central. Each one is the Lucene analyzer that module wraps (lucene-analysis-common is already
 * on the server's classpath), built the same way: the {@code stopwords} and
 * {@code stem_exclusion} settings are honoured, the language's default stop words otherwise
 * (cjk, greek, persian and thai take no stem exclusion: their Lucene analyzers have none).
 *
 * <p>Also from that module, so that an analyzer can be rebuilt from parts with a character filter in
 * front (Elasticsearch's documented "rebuilt english" analyzer): the {@code mapping} character filter
 * ({@code mappings}: rules {@code "a=>b"}, with {@code \\uXXXX} escapes) and the {@code stemmer}
 * token filter for {@code english} (Porter) and {@code possessive_english}, and the
 * {@code asciifolding} token filter (with {@code preserve_original}), Lucene's own classes as that
 * module uses them. Other stemmer languages are refused.
 */
public final class LanguageAnalysisPlugin extends Plugin implements AnalysisPlugin {

    private static final Map<String, Language> LANGUAGES = Map.ofEntries(
        Map.entry("arabic", new Language(ArabicAnalyzer::getDefaultStopSet, ArabicAnalyzer::new)),
        Map.entry("armenian", new Language(ArmenianAnalyzer::getDefaultStopSet, ArmenianAnalyzer::new)),
        Map.entry("basque", new Language(BasqueAnalyzer::getDefaultStopSet, BasqueAnalyzer::new)),
        Map.entry("bengali", new Language(BengaliAnalyzer::getDefaultStopSet, BengaliAnalyzer::new)),
        Map.entry("bulgarian", new Language(BulgarianAnalyzer::getDefaultStopSet, BulgarianAnalyzer::new)),
        Map.entry("catalan", new Language(CatalanAnalyzer::getDefaultStopSet, CatalanAnalyzer::new)),
        Map.entry("cjk", new Language(CJKAnalyzer::getDefaultStopSet, (stop, stemExclusion) -> new CJKAnalyzer(stop))),
        Map.entry("czech", new Language(CzechAnalyzer::getDefaultStopSet, CzechAnalyzer::new)),
        Map.entry("danish", new Language(DanishAnalyzer::getDefaultStopSet, DanishAnalyzer::new)),
        Map.entry("dutch", new Language(DutchAnalyzer::getDefaultStopSet, DutchAnalyzer::new)),
        Map.entry("english", new Language(EnglishAnalyzer::getDefaultStopSet, EnglishAnalyzer::new)),
        Map.entry("estonian", new Language(EstonianAnalyzer::getDefaultStopSet, EstonianAnalyzer::new)),
        Map.entry("finnish", new Language(FinnishAnalyzer::getDefaultStopSet, FinnishAnalyzer::new)),
        Map.entry("french", new Language(FrenchAnalyzer::getDefaultStopSet, FrenchAnalyzer::new)),
        Map.entry("galician", new Language(GalicianAnalyzer::getDefaultStopSet, GalicianAnalyzer::new)),
        Map.entry("german", new Language(GermanAnalyzer::getDefaultStopSet, GermanAnalyzer::new)),
        Map.entry("greek", new Language(GreekAnalyzer::getDefaultStopSet, (stop, stemExclusion) -> new GreekAnalyzer(stop))),
        Map.entry("hindi", new Language(HindiAnalyzer::getDefaultStopSet, HindiAnalyzer::new)),
        Map.entry("hungarian", new Language(HungarianAnalyzer::getDefaultStopSet, HungarianAnalyzer::new)),
        Map.entry("indonesian", new Language(IndonesianAnalyzer::getDefaultStopSet, IndonesianAnalyzer::new)),
        Map.entry("irish", new Language(IrishAnalyzer::getDefaultStopSet, IrishAnalyzer::new)),
        Map.entry("italian", new Language(ItalianAnalyzer::getDefaultStopSet, ItalianAnalyzer::new)),
        Map.entry("latvian", new Language(LatvianAnalyzer::getDefaultStopSet, LatvianAnalyzer::new)),
        Map.entry("lithuanian", new Language(LithuanianAnalyzer::getDefaultStopSet, LithuanianAnalyzer::new)),
        Map.entry("norwegian", new Language(NorwegianAnalyzer::getDefaultStopSet, NorwegianAnalyzer::new)),
        Map.entry("persian", new Language(PersianAnalyzer::getDefaultStopSet, (stop, stemExclusion) -> new PersianAnalyzer(stop))),
        Map.entry("portuguese", new Language(PortugueseAnalyzer::getDefaultStopSet, PortugueseAnalyzer::new)),
        Map.entry("romanian", new Language(RomanianAnalyzer::getDefaultStopSet, RomanianAnalyzer::new)),
        Map.entry("russian", new Language(RussianAnalyzer::getDefaultStopSet, RussianAnalyzer::new)),
        Map.entry("serbian", new Language(SerbianAnalyzer::getDefaultStopSet, SerbianAnalyzer::new)),
        Map.entry("sorani", new Language(SoraniAnalyzer::getDefaultStopSet, SoraniAnalyzer::new)),
        Map.entry("spanish", new Language(SpanishAnalyzer::getDefaultStopSet, SpanishAnalyzer::new)),
        Map.entry("swedish", new Language(SwedishAnalyzer::getDefaultStopSet, SwedishAnalyzer::new)),
        Map.entry("thai", new Language(ThaiAnalyzer::getDefaultStopSet, (stop, stemExclusion) -> new ThaiAnalyzer(stop))),
        Map.entry("turkish", new Language(TurkishAnalyzer::getDefaultStopSet, TurkishAnalyzer::new))
    );

    private record Language(
        Supplier<CharArraySet> defaultStopWords,
        BiFunction<CharArraySet, CharArraySet, Analyzer> create
    ) {}

    private static final class Provider extends AbstractIndexAnalyzerProvider<Analyzer> {
        private final Analyzer analyzer;

        Provider(Environment env, String name, Settings settings, Language language) {
            super(name, settings);
            this.analyzer = language.create().apply(
                Analysis.parseStopWords(env, settings, language.defaultStopWords().get()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public Analyzer get() {
            return analyzer;
        }
    }

    private static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    /** One side of a mapping rule with its escapes read ({@code \\uXXXX}, {@code \\n}, {@code \\\\}, ...). */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) throw new IllegalArgumentException("invalid escape in mapping rule [" + s + "]");
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    private static NormalizeCharMap charMap(String name, Settings settings) {
        List<String> rules = settings.getAsList("mappings");
        if (rules.isEmpty()) throw new IllegalArgumentException("mapping requires [mappings] to be configured (char_filter [" + name + "])");
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            Matcher m = RULE.matcher(rule);
            if (!m.find()) throw new IllegalArgumentException("invalid mapping rule: [" + rule + "]");
            String from = unescape(m.group(1).trim());
            if (from.isEmpty()) throw new IllegalArgumentException("invalid mapping rule: [" + rule + "]: nothing to replace");
            builder.add(from, unescape(m.group(2).trim()));
        }
        return builder.build();
    }

    /** {@code "type": "mapping"} character filters. */
    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        AnalysisProvider<CharFilterFactory> mapping = (indexSettings, env, name, settings) -> {
            NormalizeCharMap map = charMap(name, settings);
            return new CharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader reader) {
                    return new MappingCharFilter(map, reader);
                }

                @Override
                public Reader normalize(Reader reader) {
                    return new MappingCharFilter(map, reader);
                }
            };
        };
        return Map.of("mapping", AnalysisPlugin.requiresAnalysisSettings(mapping));
    }

    /** A token filter named {@code name}: {@code create} in analysis, {@code normalize} on query terms (wildcards, prefixes). */
    private static TokenFilterFactory tokenFilter(
        String name,
        UnaryOperator<TokenStream> create,
        UnaryOperator<TokenStream> normalize
    ) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return create.apply(tokenStream);
            }

            @Override
            public TokenStream normalize(TokenStream tokenStream) {
                return normalize.apply(tokenStream);
            }
        };
    }

    /** {@code "type": "stemmer"} token filters (for {@code english} and {@code possessive_english}) and {@code "type": "asciifolding"}. */
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        AnalysisProvider<TokenFilterFactory> stemmer = (indexSettings, env, name, settings) -> {
            String language = settings.get("language", settings.get("name", "porter"));
            UnaryOperator<TokenStream> create = switch (language) {
                case "english", "porter" -> PorterStemFilter::new;
                case "possessive_english" -> EnglishPossessiveFilter::new;
                default -> throw new IllegalArgumentException(
                    "stemmer language [" + language + "] is not available on this node (english, porter, possessive_english are)"
                );
            };
            // A stemmer leaves query terms of wildcards and prefixes alone, as Elasticsearch's does.
            return tokenFilter(name, create, UnaryOperator.identity());
        };
        AnalysisProvider<TokenFilterFactory> asciifolding = (indexSettings, env, name, settings) -> {
            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
            return tokenFilter(
                name,
                stream -> new ASCIIFoldingFilter(stream, preserveOriginal),
                stream -> new ASCIIFoldingFilter(stream, false)
            );
        };
        return Map.of("stemmer", stemmer, "asciifolding", asciifolding);
    }

    /** {@code "analyzer": "english"} in a mapping: the analyzer with its defaults, shared by every index. */
    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        List<PreBuiltAnalyzerProviderFactory> factories = new ArrayList<>();
        LANGUAGES.forEach((name, language) -> factories.add(new PreBuiltAnalyzerProviderFactory(
            name,
            CachingStrategy.LUCENE,
            () -> language.create().apply(language.defaultStopWords().get(), CharArraySet.EMPTY_SET)
        )));
        return factories;
    }

    /** {@code "type": "english"} in index analysis settings, with {@code stopwords} and {@code stem_exclusion}. */
    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers = new TreeMap<>();
        LANGUAGES.forEach((name, language) -> analyzers.put(
            name,
            (IndexSettings indexSettings, Environment env, String analyzerName, Settings settings) ->
                new Provider(env, analyzerName, settings, language)
        ));
        return analyzers;
    }
}
