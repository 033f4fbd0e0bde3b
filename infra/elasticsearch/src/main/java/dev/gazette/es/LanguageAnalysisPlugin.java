package dev.gazette.es;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The language analyzers (english, french, german, ...) under their Elasticsearch names.
 *
 * <p>Elasticsearch ships them in its analysis-common module, which is not published to Maven
 * Central. Each one is the Lucene analyzer that module wraps (lucene-analysis-common is already
 * on the server's classpath), built the same way: the {@code stopwords} and
 * {@code stem_exclusion} settings are honoured, the language's default stop words otherwise.
 */
public final class LanguageAnalysisPlugin extends Plugin implements AnalysisPlugin {

    private static final Map<String, Language> LANGUAGES = Map.of(
        "english", new Language(EnglishAnalyzer::getDefaultStopSet, EnglishAnalyzer::new),
        "french", new Language(FrenchAnalyzer::getDefaultStopSet, FrenchAnalyzer::new),
        "german", new Language(GermanAnalyzer::getDefaultStopSet, GermanAnalyzer::new),
        "spanish", new Language(SpanishAnalyzer::getDefaultStopSet, SpanishAnalyzer::new),
        "italian", new Language(ItalianAnalyzer::getDefaultStopSet, ItalianAnalyzer::new),
        "portuguese", new Language(PortugueseAnalyzer::getDefaultStopSet, PortugueseAnalyzer::new),
        "dutch", new Language(DutchAnalyzer::getDefaultStopSet, DutchAnalyzer::new),
        "russian", new Language(RussianAnalyzer::getDefaultStopSet, RussianAnalyzer::new)
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
