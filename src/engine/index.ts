export { defineAnalyzer, PHASES } from './analyzer.ts';
export type { Analyzer, AnalyzerContext, OptionSpec, OptionSpecs, OptionsOf, OptionValue, Phase, Privilege, Requirements } from './analyzer.ts';
export { unmetRequirement } from './requirements.ts';
export { analyzerErrorFinding, compareFindings, resolveAnalyzerOptions, runAnalyzers } from './run-analyzers.ts';
export type { AnalyzerOptionOverrides, AnalyzerTiming, RunAnalyzersInput, RunAnalyzersResult } from './run-analyzers.ts';
export { analyzeDatabase, silentLogger } from './analyze-database.ts';
export type { AnalysisResult, AnalyzeDatabaseOptions, Logger } from './analyze-database.ts';
