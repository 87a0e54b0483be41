#!/usr/bin/env node
import { createRequire as __podguardCreateRequire } from 'node:module';
const require = __podguardCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// node_modules/dockerfile-ast/lib/argument.js
var require_argument = __commonJS({
  "node_modules/dockerfile-ast/lib/argument.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Argument = void 0;
    var Argument = class {
      constructor(value, range) {
        this.value = value;
        this.range = range;
      }
      toString() {
        return this.value;
      }
      getRange() {
        return this.range;
      }
      getValue() {
        return this.value;
      }
      isAfter(position) {
        if (this.range.end.line < position.line) {
          return false;
        }
        return this.range.start.line > position.line ? true : this.range.start.character > position.character;
      }
      isBefore(position) {
        if (this.range.start.line < position.line) {
          return true;
        }
        return this.range.end.line > position.line ? false : this.range.end.character < position.character;
      }
    };
    exports.Argument = Argument;
  }
});

// node_modules/dockerfile-ast/lib/jsonArgument.js
var require_jsonArgument = __commonJS({
  "node_modules/dockerfile-ast/lib/jsonArgument.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.JSONArgument = void 0;
    var argument_1 = require_argument();
    var JSONArgument = class extends argument_1.Argument {
      constructor(value, range, jsonRange) {
        super(value, range);
        this.jsonRange = jsonRange;
      }
      getJSONRange() {
        return this.jsonRange;
      }
      getJSONValue() {
        let value = super.getValue();
        value = value.substring(1, value.length - 1);
        return value;
      }
    };
    exports.JSONArgument = JSONArgument;
  }
});

// node_modules/vscode-languageserver-types/lib/esm/main.js
var main_exports = {};
__export(main_exports, {
  AnnotatedTextEdit: () => AnnotatedTextEdit,
  ApplyKind: () => ApplyKind,
  ChangeAnnotation: () => ChangeAnnotation,
  ChangeAnnotationIdentifier: () => ChangeAnnotationIdentifier,
  CodeAction: () => CodeAction,
  CodeActionContext: () => CodeActionContext,
  CodeActionKind: () => CodeActionKind,
  CodeActionTag: () => CodeActionTag,
  CodeActionTriggerKind: () => CodeActionTriggerKind,
  CodeDescription: () => CodeDescription,
  CodeLens: () => CodeLens,
  Color: () => Color,
  ColorInformation: () => ColorInformation,
  ColorPresentation: () => ColorPresentation,
  Command: () => Command,
  CompletionItem: () => CompletionItem,
  CompletionItemKind: () => CompletionItemKind,
  CompletionItemLabelDetails: () => CompletionItemLabelDetails,
  CompletionItemTag: () => CompletionItemTag,
  CompletionList: () => CompletionList,
  CreateFile: () => CreateFile,
  DeleteFile: () => DeleteFile,
  Diagnostic: () => Diagnostic,
  DiagnosticRelatedInformation: () => DiagnosticRelatedInformation,
  DiagnosticSeverity: () => DiagnosticSeverity,
  DiagnosticTag: () => DiagnosticTag,
  DocumentHighlight: () => DocumentHighlight,
  DocumentHighlightKind: () => DocumentHighlightKind,
  DocumentLink: () => DocumentLink,
  DocumentSymbol: () => DocumentSymbol,
  DocumentUri: () => DocumentUri,
  EOL: () => EOL,
  FoldingRange: () => FoldingRange,
  FoldingRangeKind: () => FoldingRangeKind,
  FormattingOptions: () => FormattingOptions,
  Hover: () => Hover,
  InlayHint: () => InlayHint,
  InlayHintKind: () => InlayHintKind,
  InlayHintLabelPart: () => InlayHintLabelPart,
  InlineCompletionContext: () => InlineCompletionContext,
  InlineCompletionItem: () => InlineCompletionItem,
  InlineCompletionList: () => InlineCompletionList,
  InlineCompletionTriggerKind: () => InlineCompletionTriggerKind,
  InlineValueContext: () => InlineValueContext,
  InlineValueEvaluatableExpression: () => InlineValueEvaluatableExpression,
  InlineValueText: () => InlineValueText,
  InlineValueVariableLookup: () => InlineValueVariableLookup,
  InsertReplaceEdit: () => InsertReplaceEdit,
  InsertTextFormat: () => InsertTextFormat,
  InsertTextMode: () => InsertTextMode,
  LanguageKind: () => LanguageKind,
  Location: () => Location,
  LocationLink: () => LocationLink,
  MarkedString: () => MarkedString,
  MarkupContent: () => MarkupContent,
  MarkupKind: () => MarkupKind,
  OptionalVersionedTextDocumentIdentifier: () => OptionalVersionedTextDocumentIdentifier,
  ParameterInformation: () => ParameterInformation,
  Position: () => Position,
  Range: () => Range,
  RenameFile: () => RenameFile,
  SelectedCompletionInfo: () => SelectedCompletionInfo,
  SelectionRange: () => SelectionRange,
  SemanticTokenModifiers: () => SemanticTokenModifiers,
  SemanticTokenTypes: () => SemanticTokenTypes,
  SemanticTokens: () => SemanticTokens,
  SignatureInformation: () => SignatureInformation,
  SnippetTextEdit: () => SnippetTextEdit,
  StringValue: () => StringValue,
  SymbolInformation: () => SymbolInformation,
  SymbolKind: () => SymbolKind,
  SymbolTag: () => SymbolTag,
  TextDocument: () => TextDocument,
  TextDocumentEdit: () => TextDocumentEdit,
  TextDocumentIdentifier: () => TextDocumentIdentifier,
  TextDocumentItem: () => TextDocumentItem,
  TextEdit: () => TextEdit,
  URI: () => URI,
  VersionedTextDocumentIdentifier: () => VersionedTextDocumentIdentifier,
  WorkspaceChange: () => WorkspaceChange,
  WorkspaceEdit: () => WorkspaceEdit,
  WorkspaceFolder: () => WorkspaceFolder,
  WorkspaceSymbol: () => WorkspaceSymbol,
  integer: () => integer,
  uinteger: () => uinteger
});
var DocumentUri, URI, integer, uinteger, Position, Range, Location, LocationLink, Color, ColorInformation, ColorPresentation, FoldingRangeKind, FoldingRange, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, CodeDescription, Diagnostic, Command, TextEdit, ChangeAnnotation, ChangeAnnotationIdentifier, AnnotatedTextEdit, TextDocumentEdit, CreateFile, RenameFile, DeleteFile, WorkspaceEdit, TextEditChangeImpl, SnippetTextEdit, ChangeAnnotations, WorkspaceChange, TextDocumentIdentifier, VersionedTextDocumentIdentifier, OptionalVersionedTextDocumentIdentifier, LanguageKind, TextDocumentItem, MarkupKind, MarkupContent, CompletionItemKind, InsertTextFormat, CompletionItemTag, InsertReplaceEdit, InsertTextMode, ApplyKind, CompletionItemLabelDetails, CompletionItem, CompletionList, MarkedString, Hover, ParameterInformation, SignatureInformation, DocumentHighlightKind, DocumentHighlight, SymbolKind, SymbolTag, SymbolInformation, WorkspaceSymbol, DocumentSymbol, CodeActionKind, CodeActionTriggerKind, CodeActionContext, CodeActionTag, CodeAction, CodeLens, FormattingOptions, DocumentLink, SelectionRange, SemanticTokenTypes, SemanticTokenModifiers, SemanticTokens, InlineValueText, InlineValueVariableLookup, InlineValueEvaluatableExpression, InlineValueContext, InlayHintKind, InlayHintLabelPart, InlayHint, StringValue, InlineCompletionItem, InlineCompletionList, InlineCompletionTriggerKind, SelectedCompletionInfo, InlineCompletionContext, WorkspaceFolder, EOL, TextDocument, FullTextDocument, Is;
var init_main = __esm({
  "node_modules/vscode-languageserver-types/lib/esm/main.js"() {
    "use strict";
    (function(DocumentUri2) {
      function is(value) {
        return typeof value === "string";
      }
      DocumentUri2.is = is;
    })(DocumentUri || (DocumentUri = {}));
    (function(URI2) {
      function is(value) {
        return typeof value === "string";
      }
      URI2.is = is;
    })(URI || (URI = {}));
    (function(integer2) {
      integer2.MIN_VALUE = -2147483648;
      integer2.MAX_VALUE = 2147483647;
      function is(value) {
        return typeof value === "number" && integer2.MIN_VALUE <= value && value <= integer2.MAX_VALUE;
      }
      integer2.is = is;
    })(integer || (integer = {}));
    (function(uinteger2) {
      uinteger2.MIN_VALUE = 0;
      uinteger2.MAX_VALUE = 2147483647;
      function is(value) {
        return typeof value === "number" && uinteger2.MIN_VALUE <= value && value <= uinteger2.MAX_VALUE;
      }
      uinteger2.is = is;
    })(uinteger || (uinteger = {}));
    (function(Position2) {
      function create(line, character) {
        if (line === Number.MAX_VALUE) {
          line = uinteger.MAX_VALUE;
        }
        if (character === Number.MAX_VALUE) {
          character = uinteger.MAX_VALUE;
        }
        return { line, character };
      }
      Position2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.line) && Is.uinteger(candidate.character);
      }
      Position2.is = is;
    })(Position || (Position = {}));
    (function(Range2) {
      function create(one, two, three, four) {
        if (Is.uinteger(one) && Is.uinteger(two) && Is.uinteger(three) && Is.uinteger(four)) {
          return { start: Position.create(one, two), end: Position.create(three, four) };
        } else if (Position.is(one) && Position.is(two)) {
          return { start: one, end: two };
        } else {
          throw new Error(`Range#create called with invalid arguments[${one}, ${two}, ${three}, ${four}]`);
        }
      }
      Range2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.start) && Position.is(candidate.end);
      }
      Range2.is = is;
    })(Range || (Range = {}));
    (function(Location2) {
      function create(uri, range) {
        return { uri, range };
      }
      Location2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (Is.string(candidate.uri) || Is.undefined(candidate.uri));
      }
      Location2.is = is;
    })(Location || (Location = {}));
    (function(LocationLink2) {
      function create(targetUri, targetRange, targetSelectionRange, originSelectionRange) {
        return { targetUri, targetRange, targetSelectionRange, originSelectionRange };
      }
      LocationLink2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.targetRange) && Is.string(candidate.targetUri) && Range.is(candidate.targetSelectionRange) && (Range.is(candidate.originSelectionRange) || Is.undefined(candidate.originSelectionRange));
      }
      LocationLink2.is = is;
    })(LocationLink || (LocationLink = {}));
    (function(Color2) {
      function create(red, green, blue, alpha) {
        return {
          red,
          green,
          blue,
          alpha
        };
      }
      Color2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.numberRange(candidate.red, 0, 1) && Is.numberRange(candidate.green, 0, 1) && Is.numberRange(candidate.blue, 0, 1) && Is.numberRange(candidate.alpha, 0, 1);
      }
      Color2.is = is;
    })(Color || (Color = {}));
    (function(ColorInformation2) {
      function create(range, color) {
        return {
          range,
          color
        };
      }
      ColorInformation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && Color.is(candidate.color);
      }
      ColorInformation2.is = is;
    })(ColorInformation || (ColorInformation = {}));
    (function(ColorPresentation2) {
      function create(label, textEdit, additionalTextEdits) {
        return {
          label,
          textEdit,
          additionalTextEdits
        };
      }
      ColorPresentation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label) && (Is.undefined(candidate.textEdit) || TextEdit.is(candidate.textEdit)) && (Is.undefined(candidate.additionalTextEdits) || Is.typedArray(candidate.additionalTextEdits, TextEdit.is));
      }
      ColorPresentation2.is = is;
    })(ColorPresentation || (ColorPresentation = {}));
    (function(FoldingRangeKind2) {
      FoldingRangeKind2.Comment = "comment";
      FoldingRangeKind2.Imports = "imports";
      FoldingRangeKind2.Region = "region";
    })(FoldingRangeKind || (FoldingRangeKind = {}));
    (function(FoldingRange2) {
      function create(startLine, endLine, startCharacter, endCharacter, kind, collapsedText) {
        const result = {
          startLine,
          endLine
        };
        if (Is.defined(startCharacter)) {
          result.startCharacter = startCharacter;
        }
        if (Is.defined(endCharacter)) {
          result.endCharacter = endCharacter;
        }
        if (Is.defined(kind)) {
          result.kind = kind;
        }
        if (Is.defined(collapsedText)) {
          result.collapsedText = collapsedText;
        }
        return result;
      }
      FoldingRange2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.startLine) && Is.uinteger(candidate.endLine) && (Is.undefined(candidate.startCharacter) || Is.uinteger(candidate.startCharacter)) && (Is.undefined(candidate.endCharacter) || Is.uinteger(candidate.endCharacter)) && (Is.undefined(candidate.kind) || Is.string(candidate.kind));
      }
      FoldingRange2.is = is;
    })(FoldingRange || (FoldingRange = {}));
    (function(DiagnosticRelatedInformation2) {
      function create(location, message) {
        return {
          location,
          message
        };
      }
      DiagnosticRelatedInformation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Location.is(candidate.location) && Is.string(candidate.message);
      }
      DiagnosticRelatedInformation2.is = is;
    })(DiagnosticRelatedInformation || (DiagnosticRelatedInformation = {}));
    (function(DiagnosticSeverity2) {
      DiagnosticSeverity2.Error = 1;
      DiagnosticSeverity2.Warning = 2;
      DiagnosticSeverity2.Information = 3;
      DiagnosticSeverity2.Hint = 4;
    })(DiagnosticSeverity || (DiagnosticSeverity = {}));
    (function(DiagnosticTag2) {
      DiagnosticTag2.Unnecessary = 1;
      DiagnosticTag2.Deprecated = 2;
    })(DiagnosticTag || (DiagnosticTag = {}));
    (function(CodeDescription2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.href);
      }
      CodeDescription2.is = is;
    })(CodeDescription || (CodeDescription = {}));
    (function(Diagnostic2) {
      function create(range, message, severity, code2, source, relatedInformation) {
        const result = { range, message };
        if (Is.defined(severity)) {
          result.severity = severity;
        }
        if (Is.defined(code2)) {
          result.code = code2;
        }
        if (Is.defined(source)) {
          result.source = source;
        }
        if (Is.defined(relatedInformation)) {
          result.relatedInformation = relatedInformation;
        }
        return result;
      }
      Diagnostic2.create = create;
      function is(value) {
        var _a;
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.string(candidate.message) || MarkupContent.is(candidate.message)) && (Is.number(candidate.severity) || Is.undefined(candidate.severity)) && (Is.integer(candidate.code) || Is.string(candidate.code) || Is.undefined(candidate.code)) && (Is.undefined(candidate.codeDescription) || Is.string((_a = candidate.codeDescription) === null || _a === void 0 ? void 0 : _a.href)) && (Is.string(candidate.source) || Is.undefined(candidate.source)) && (Is.undefined(candidate.relatedInformation) || Is.typedArray(candidate.relatedInformation, DiagnosticRelatedInformation.is));
      }
      Diagnostic2.is = is;
      function is3_17(value) {
        return Is.string(value.message);
      }
      Diagnostic2.is3_17 = is3_17;
      function getMessageString(diagnostic) {
        if (Is.string(diagnostic.message)) {
          return diagnostic.message;
        } else if (MarkupContent.is(diagnostic.message)) {
          return diagnostic.message.value;
        } else {
          throw new Error(`Unknown message type ${typeof diagnostic.message}`);
        }
      }
      Diagnostic2.getMessageString = getMessageString;
    })(Diagnostic || (Diagnostic = {}));
    (function(Command2) {
      function create(title, command, ...args) {
        const result = { title, command };
        if (Is.defined(args) && args.length > 0) {
          result.arguments = args;
        }
        return result;
      }
      Command2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.title) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip)) && Is.string(candidate.command);
      }
      Command2.is = is;
    })(Command || (Command = {}));
    (function(TextEdit2) {
      function replace(range, newText) {
        return { range, newText };
      }
      TextEdit2.replace = replace;
      function insert(position, newText) {
        return { range: { start: position, end: position }, newText };
      }
      TextEdit2.insert = insert;
      function del(range) {
        return { range, newText: "" };
      }
      TextEdit2.del = del;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.newText) && Range.is(candidate.range);
      }
      TextEdit2.is = is;
    })(TextEdit || (TextEdit = {}));
    (function(ChangeAnnotation2) {
      function create(label, needsConfirmation, description) {
        const result = { label };
        if (needsConfirmation !== void 0) {
          result.needsConfirmation = needsConfirmation;
        }
        if (description !== void 0) {
          result.description = description;
        }
        return result;
      }
      ChangeAnnotation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label) && (Is.boolean(candidate.needsConfirmation) || candidate.needsConfirmation === void 0) && (Is.string(candidate.description) || candidate.description === void 0);
      }
      ChangeAnnotation2.is = is;
    })(ChangeAnnotation || (ChangeAnnotation = {}));
    (function(ChangeAnnotationIdentifier2) {
      function is(value) {
        const candidate = value;
        return Is.string(candidate);
      }
      ChangeAnnotationIdentifier2.is = is;
    })(ChangeAnnotationIdentifier || (ChangeAnnotationIdentifier = {}));
    (function(AnnotatedTextEdit2) {
      function replace(range, newText, annotation) {
        return { range, newText, annotationId: annotation };
      }
      AnnotatedTextEdit2.replace = replace;
      function insert(position, newText, annotation) {
        return { range: { start: position, end: position }, newText, annotationId: annotation };
      }
      AnnotatedTextEdit2.insert = insert;
      function del(range, annotation) {
        return { range, newText: "", annotationId: annotation };
      }
      AnnotatedTextEdit2.del = del;
      function is(value) {
        const candidate = value;
        return TextEdit.is(candidate) && (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      AnnotatedTextEdit2.is = is;
    })(AnnotatedTextEdit || (AnnotatedTextEdit = {}));
    (function(TextDocumentEdit2) {
      function create(textDocument, edits) {
        return { textDocument, edits };
      }
      TextDocumentEdit2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && OptionalVersionedTextDocumentIdentifier.is(candidate.textDocument) && Array.isArray(candidate.edits);
      }
      TextDocumentEdit2.is = is;
    })(TextDocumentEdit || (TextDocumentEdit = {}));
    (function(CreateFile2) {
      function create(uri, options, annotation) {
        const result = {
          kind: "create",
          uri
        };
        if (options !== void 0 && (options.overwrite !== void 0 || options.ignoreIfExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      CreateFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "create" && Is.string(candidate.uri) && (candidate.options === void 0 || (candidate.options.overwrite === void 0 || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === void 0 || Is.boolean(candidate.options.ignoreIfExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      CreateFile2.is = is;
    })(CreateFile || (CreateFile = {}));
    (function(RenameFile2) {
      function create(oldUri, newUri, options, annotation) {
        const result = {
          kind: "rename",
          oldUri,
          newUri
        };
        if (options !== void 0 && (options.overwrite !== void 0 || options.ignoreIfExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      RenameFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "rename" && Is.string(candidate.oldUri) && Is.string(candidate.newUri) && (candidate.options === void 0 || (candidate.options.overwrite === void 0 || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === void 0 || Is.boolean(candidate.options.ignoreIfExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      RenameFile2.is = is;
    })(RenameFile || (RenameFile = {}));
    (function(DeleteFile2) {
      function create(uri, options, annotation) {
        const result = {
          kind: "delete",
          uri
        };
        if (options !== void 0 && (options.recursive !== void 0 || options.ignoreIfNotExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      DeleteFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "delete" && Is.string(candidate.uri) && (candidate.options === void 0 || (candidate.options.recursive === void 0 || Is.boolean(candidate.options.recursive)) && (candidate.options.ignoreIfNotExists === void 0 || Is.boolean(candidate.options.ignoreIfNotExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      DeleteFile2.is = is;
    })(DeleteFile || (DeleteFile = {}));
    (function(WorkspaceEdit2) {
      function is(value) {
        const candidate = value;
        return candidate && (candidate.changes !== void 0 || candidate.documentChanges !== void 0) && (candidate.documentChanges === void 0 || candidate.documentChanges.every((change) => {
          if (Is.string(change.kind)) {
            return CreateFile.is(change) || RenameFile.is(change) || DeleteFile.is(change);
          } else {
            return TextDocumentEdit.is(change);
          }
        }));
      }
      WorkspaceEdit2.is = is;
    })(WorkspaceEdit || (WorkspaceEdit = {}));
    TextEditChangeImpl = class {
      constructor(edits, changeAnnotations) {
        this.edits = edits;
        this.changeAnnotations = changeAnnotations;
      }
      insert(position, newText, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.insert(position, newText);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.insert(position, newText, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.insert(position, newText, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      replace(range, newText, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.replace(range, newText);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.replace(range, newText, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.replace(range, newText, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      delete(range, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.del(range);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.del(range, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.del(range, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      add(edit) {
        this.edits.push(edit);
      }
      all() {
        return this.edits;
      }
      clear() {
        this.edits.splice(0, this.edits.length);
      }
      assertChangeAnnotations(value) {
        if (value === void 0) {
          throw new Error(`Text edit change is not configured to manage change annotations.`);
        }
      }
    };
    (function(SnippetTextEdit2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && StringValue.isSnippet(candidate.snippet) && (candidate.annotationId === void 0 || (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId)));
      }
      SnippetTextEdit2.is = is;
    })(SnippetTextEdit || (SnippetTextEdit = {}));
    ChangeAnnotations = class {
      constructor(annotations) {
        this._annotations = annotations === void 0 ? /* @__PURE__ */ Object.create(null) : annotations;
        this._counter = 0;
        this._size = 0;
      }
      all() {
        return this._annotations;
      }
      get size() {
        return this._size;
      }
      manage(idOrAnnotation, annotation) {
        let id;
        if (ChangeAnnotationIdentifier.is(idOrAnnotation)) {
          id = idOrAnnotation;
        } else {
          id = this.nextId();
          annotation = idOrAnnotation;
        }
        if (this._annotations[id] !== void 0) {
          throw new Error(`Id ${id} is already in use.`);
        }
        if (annotation === void 0) {
          throw new Error(`No annotation provided for id ${id}`);
        }
        this._annotations[id] = annotation;
        this._size++;
        return id;
      }
      nextId() {
        this._counter++;
        return this._counter.toString();
      }
    };
    WorkspaceChange = class {
      constructor(workspaceEdit) {
        this._textEditChanges = /* @__PURE__ */ Object.create(null);
        if (workspaceEdit !== void 0) {
          this._workspaceEdit = workspaceEdit;
          if (workspaceEdit.documentChanges) {
            this._changeAnnotations = new ChangeAnnotations(workspaceEdit.changeAnnotations);
            workspaceEdit.changeAnnotations = this._changeAnnotations.all();
            workspaceEdit.documentChanges.forEach((change) => {
              if (TextDocumentEdit.is(change)) {
                const textEditChange = new TextEditChangeImpl(change.edits, this._changeAnnotations);
                this._textEditChanges[change.textDocument.uri] = textEditChange;
              }
            });
          } else if (workspaceEdit.changes) {
            Object.keys(workspaceEdit.changes).forEach((key) => {
              const textEditChange = new TextEditChangeImpl(workspaceEdit.changes[key]);
              this._textEditChanges[key] = textEditChange;
            });
          }
        } else {
          this._workspaceEdit = {};
        }
      }
      /**
       * Returns the underlying {@link WorkspaceEdit} literal
       * use to be returned from a workspace edit operation like rename.
       */
      get edit() {
        this.initDocumentChanges();
        if (this._changeAnnotations !== void 0) {
          if (this._changeAnnotations.size === 0) {
            this._workspaceEdit.changeAnnotations = void 0;
          } else {
            this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
          }
        }
        return this._workspaceEdit;
      }
      getTextEditChange(key) {
        if (OptionalVersionedTextDocumentIdentifier.is(key)) {
          this.initDocumentChanges();
          if (this._workspaceEdit.documentChanges === void 0) {
            throw new Error("Workspace edit is not configured for document changes.");
          }
          const textDocument = { uri: key.uri, version: key.version };
          let result = this._textEditChanges[textDocument.uri];
          if (!result) {
            const edits = [];
            const textDocumentEdit = {
              textDocument,
              edits
            };
            this._workspaceEdit.documentChanges.push(textDocumentEdit);
            result = new TextEditChangeImpl(edits, this._changeAnnotations);
            this._textEditChanges[textDocument.uri] = result;
          }
          return result;
        } else {
          this.initChanges();
          if (this._workspaceEdit.changes === void 0) {
            throw new Error("Workspace edit is not configured for normal text edit changes.");
          }
          let result = this._textEditChanges[key];
          if (!result) {
            const edits = [];
            this._workspaceEdit.changes[key] = edits;
            result = new TextEditChangeImpl(edits);
            this._textEditChanges[key] = result;
          }
          return result;
        }
      }
      initDocumentChanges() {
        if (this._workspaceEdit.documentChanges === void 0 && this._workspaceEdit.changes === void 0) {
          this._changeAnnotations = new ChangeAnnotations();
          this._workspaceEdit.documentChanges = [];
          this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
        }
      }
      initChanges() {
        if (this._workspaceEdit.documentChanges === void 0 && this._workspaceEdit.changes === void 0) {
          this._workspaceEdit.changes = /* @__PURE__ */ Object.create(null);
        }
      }
      createFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = CreateFile.create(uri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = CreateFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
      renameFile(oldUri, newUri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = RenameFile.create(oldUri, newUri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = RenameFile.create(oldUri, newUri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
      deleteFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = DeleteFile.create(uri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = DeleteFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
    };
    (function(TextDocumentIdentifier2) {
      function create(uri) {
        return { uri };
      }
      TextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri);
      }
      TextDocumentIdentifier2.is = is;
    })(TextDocumentIdentifier || (TextDocumentIdentifier = {}));
    (function(VersionedTextDocumentIdentifier2) {
      function create(uri, version) {
        return { uri, version };
      }
      VersionedTextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.integer(candidate.version);
      }
      VersionedTextDocumentIdentifier2.is = is;
    })(VersionedTextDocumentIdentifier || (VersionedTextDocumentIdentifier = {}));
    (function(OptionalVersionedTextDocumentIdentifier2) {
      function create(uri, version) {
        return { uri, version };
      }
      OptionalVersionedTextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (candidate.version === null || Is.integer(candidate.version));
      }
      OptionalVersionedTextDocumentIdentifier2.is = is;
    })(OptionalVersionedTextDocumentIdentifier || (OptionalVersionedTextDocumentIdentifier = {}));
    (function(LanguageKind2) {
      LanguageKind2.ABAP = "abap";
      LanguageKind2.WindowsBat = "bat";
      LanguageKind2.BibTeX = "bibtex";
      LanguageKind2.Clojure = "clojure";
      LanguageKind2.Coffeescript = "coffeescript";
      LanguageKind2.C = "c";
      LanguageKind2.CPP = "cpp";
      LanguageKind2.CSharp = "csharp";
      LanguageKind2.CSS = "css";
      LanguageKind2.D = "d";
      LanguageKind2.Delphi = "pascal";
      LanguageKind2.Diff = "diff";
      LanguageKind2.Dart = "dart";
      LanguageKind2.Dockerfile = "dockerfile";
      LanguageKind2.Elixir = "elixir";
      LanguageKind2.Erlang = "erlang";
      LanguageKind2.FSharp = "fsharp";
      LanguageKind2.GitCommit = "git-commit";
      LanguageKind2.GitRebase = "git-rebase";
      LanguageKind2.Go = "go";
      LanguageKind2.Groovy = "groovy";
      LanguageKind2.Handlebars = "handlebars";
      LanguageKind2.Haskell = "haskell";
      LanguageKind2.HTML = "html";
      LanguageKind2.Ini = "ini";
      LanguageKind2.Java = "java";
      LanguageKind2.JavaScript = "javascript";
      LanguageKind2.JavaScriptReact = "javascriptreact";
      LanguageKind2.JSON = "json";
      LanguageKind2.LaTeX = "latex";
      LanguageKind2.Less = "less";
      LanguageKind2.Lua = "lua";
      LanguageKind2.Makefile = "makefile";
      LanguageKind2.Markdown = "markdown";
      LanguageKind2.ObjectiveC = "objective-c";
      LanguageKind2.ObjectiveCPP = "objective-cpp";
      LanguageKind2.Pascal = "pascal";
      LanguageKind2.Perl = "perl";
      LanguageKind2.Perl6 = "perl6";
      LanguageKind2.PHP = "php";
      LanguageKind2.Plaintext = "plaintext";
      LanguageKind2.Powershell = "powershell";
      LanguageKind2.Pug = "jade";
      LanguageKind2.Python = "python";
      LanguageKind2.R = "r";
      LanguageKind2.Razor = "razor";
      LanguageKind2.Ruby = "ruby";
      LanguageKind2.Rust = "rust";
      LanguageKind2.SCSS = "scss";
      LanguageKind2.SASS = "sass";
      LanguageKind2.Scala = "scala";
      LanguageKind2.ShaderLab = "shaderlab";
      LanguageKind2.ShellScript = "shellscript";
      LanguageKind2.SQL = "sql";
      LanguageKind2.Swift = "swift";
      LanguageKind2.TypeScript = "typescript";
      LanguageKind2.TypeScriptReact = "typescriptreact";
      LanguageKind2.TeX = "tex";
      LanguageKind2.VisualBasic = "vb";
      LanguageKind2.XML = "xml";
      LanguageKind2.XSL = "xsl";
      LanguageKind2.YAML = "yaml";
    })(LanguageKind || (LanguageKind = {}));
    (function(TextDocumentItem2) {
      function create(uri, languageId, version, text) {
        return { uri, languageId, version, text };
      }
      TextDocumentItem2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.string(candidate.languageId) && Is.integer(candidate.version) && Is.string(candidate.text);
      }
      TextDocumentItem2.is = is;
    })(TextDocumentItem || (TextDocumentItem = {}));
    (function(MarkupKind2) {
      MarkupKind2.PlainText = "plaintext";
      MarkupKind2.Markdown = "markdown";
      function is(value) {
        const candidate = value;
        return candidate === MarkupKind2.PlainText || candidate === MarkupKind2.Markdown;
      }
      MarkupKind2.is = is;
    })(MarkupKind || (MarkupKind = {}));
    (function(MarkupContent2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(value) && MarkupKind.is(candidate.kind) && Is.string(candidate.value);
      }
      MarkupContent2.is = is;
    })(MarkupContent || (MarkupContent = {}));
    (function(CompletionItemKind2) {
      CompletionItemKind2.Text = 1;
      CompletionItemKind2.Method = 2;
      CompletionItemKind2.Function = 3;
      CompletionItemKind2.Constructor = 4;
      CompletionItemKind2.Field = 5;
      CompletionItemKind2.Variable = 6;
      CompletionItemKind2.Class = 7;
      CompletionItemKind2.Interface = 8;
      CompletionItemKind2.Module = 9;
      CompletionItemKind2.Property = 10;
      CompletionItemKind2.Unit = 11;
      CompletionItemKind2.Value = 12;
      CompletionItemKind2.Enum = 13;
      CompletionItemKind2.Keyword = 14;
      CompletionItemKind2.Snippet = 15;
      CompletionItemKind2.Color = 16;
      CompletionItemKind2.File = 17;
      CompletionItemKind2.Reference = 18;
      CompletionItemKind2.Folder = 19;
      CompletionItemKind2.EnumMember = 20;
      CompletionItemKind2.Constant = 21;
      CompletionItemKind2.Struct = 22;
      CompletionItemKind2.Event = 23;
      CompletionItemKind2.Operator = 24;
      CompletionItemKind2.TypeParameter = 25;
    })(CompletionItemKind || (CompletionItemKind = {}));
    (function(InsertTextFormat2) {
      InsertTextFormat2.PlainText = 1;
      InsertTextFormat2.Snippet = 2;
    })(InsertTextFormat || (InsertTextFormat = {}));
    (function(CompletionItemTag2) {
      CompletionItemTag2.Deprecated = 1;
    })(CompletionItemTag || (CompletionItemTag = {}));
    (function(InsertReplaceEdit2) {
      function create(newText, insert, replace) {
        return { newText, insert, replace };
      }
      InsertReplaceEdit2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.newText) && Range.is(candidate.insert) && Range.is(candidate.replace);
      }
      InsertReplaceEdit2.is = is;
    })(InsertReplaceEdit || (InsertReplaceEdit = {}));
    (function(InsertTextMode2) {
      InsertTextMode2.asIs = 1;
      InsertTextMode2.adjustIndentation = 2;
    })(InsertTextMode || (InsertTextMode = {}));
    (function(ApplyKind2) {
      ApplyKind2.Replace = 1;
      ApplyKind2.Merge = 2;
    })(ApplyKind || (ApplyKind = {}));
    (function(CompletionItemLabelDetails2) {
      function is(value) {
        const candidate = value;
        return candidate && (Is.string(candidate.detail) || candidate.detail === void 0) && (Is.string(candidate.description) || candidate.description === void 0);
      }
      CompletionItemLabelDetails2.is = is;
    })(CompletionItemLabelDetails || (CompletionItemLabelDetails = {}));
    (function(CompletionItem2) {
      function create(label) {
        return { label };
      }
      CompletionItem2.create = create;
    })(CompletionItem || (CompletionItem = {}));
    (function(CompletionList2) {
      function create(items, isIncomplete) {
        return { items: items ? items : [], isIncomplete: !!isIncomplete };
      }
      CompletionList2.create = create;
    })(CompletionList || (CompletionList = {}));
    (function(MarkedString2) {
      function fromPlainText(plainText) {
        return plainText.replace(/[\\`*_{}[\]()#+\-.!]/g, "\\$&");
      }
      MarkedString2.fromPlainText = fromPlainText;
      function is(value) {
        const candidate = value;
        return Is.string(candidate) || Is.objectLiteral(candidate) && Is.string(candidate.language) && Is.string(candidate.value);
      }
      MarkedString2.is = is;
    })(MarkedString || (MarkedString = {}));
    (function(Hover2) {
      function is(value) {
        const candidate = value;
        return !!candidate && Is.objectLiteral(candidate) && (MarkupContent.is(candidate.contents) || MarkedString.is(candidate.contents) || Is.typedArray(candidate.contents, MarkedString.is)) && (value.range === void 0 || Range.is(value.range));
      }
      Hover2.is = is;
    })(Hover || (Hover = {}));
    (function(ParameterInformation2) {
      function create(label, documentation) {
        return documentation ? { label, documentation } : { label };
      }
      ParameterInformation2.create = create;
    })(ParameterInformation || (ParameterInformation = {}));
    (function(SignatureInformation2) {
      function create(label, documentation, ...parameters) {
        const result = { label };
        if (Is.defined(documentation)) {
          result.documentation = documentation;
        }
        if (Is.defined(parameters)) {
          result.parameters = parameters;
        } else {
          result.parameters = [];
        }
        return result;
      }
      SignatureInformation2.create = create;
    })(SignatureInformation || (SignatureInformation = {}));
    (function(DocumentHighlightKind2) {
      DocumentHighlightKind2.Text = 1;
      DocumentHighlightKind2.Read = 2;
      DocumentHighlightKind2.Write = 3;
    })(DocumentHighlightKind || (DocumentHighlightKind = {}));
    (function(DocumentHighlight2) {
      function create(range, kind) {
        const result = { range };
        if (Is.number(kind)) {
          result.kind = kind;
        }
        return result;
      }
      DocumentHighlight2.create = create;
    })(DocumentHighlight || (DocumentHighlight = {}));
    (function(SymbolKind2) {
      SymbolKind2.File = 1;
      SymbolKind2.Module = 2;
      SymbolKind2.Namespace = 3;
      SymbolKind2.Package = 4;
      SymbolKind2.Class = 5;
      SymbolKind2.Method = 6;
      SymbolKind2.Property = 7;
      SymbolKind2.Field = 8;
      SymbolKind2.Constructor = 9;
      SymbolKind2.Enum = 10;
      SymbolKind2.Interface = 11;
      SymbolKind2.Function = 12;
      SymbolKind2.Variable = 13;
      SymbolKind2.Constant = 14;
      SymbolKind2.String = 15;
      SymbolKind2.Number = 16;
      SymbolKind2.Boolean = 17;
      SymbolKind2.Array = 18;
      SymbolKind2.Object = 19;
      SymbolKind2.Key = 20;
      SymbolKind2.Null = 21;
      SymbolKind2.EnumMember = 22;
      SymbolKind2.Struct = 23;
      SymbolKind2.Event = 24;
      SymbolKind2.Operator = 25;
      SymbolKind2.TypeParameter = 26;
    })(SymbolKind || (SymbolKind = {}));
    (function(SymbolTag2) {
      SymbolTag2.Deprecated = 1;
    })(SymbolTag || (SymbolTag = {}));
    (function(SymbolInformation2) {
      function create(name, kind, range, uri, containerName) {
        const result = {
          name,
          kind,
          location: { uri, range }
        };
        if (containerName) {
          result.containerName = containerName;
        }
        return result;
      }
      SymbolInformation2.create = create;
    })(SymbolInformation || (SymbolInformation = {}));
    (function(WorkspaceSymbol2) {
      function create(name, kind, uri, range) {
        return range !== void 0 ? { name, kind, location: { uri, range } } : { name, kind, location: { uri } };
      }
      WorkspaceSymbol2.create = create;
    })(WorkspaceSymbol || (WorkspaceSymbol = {}));
    (function(DocumentSymbol2) {
      function create(name, detail, kind, range, selectionRange, children) {
        const result = {
          name,
          detail,
          kind,
          range,
          selectionRange
        };
        if (children !== void 0) {
          result.children = children;
        }
        return result;
      }
      DocumentSymbol2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.name) && Is.number(candidate.kind) && Range.is(candidate.range) && Range.is(candidate.selectionRange) && (candidate.detail === void 0 || Is.string(candidate.detail)) && (candidate.deprecated === void 0 || Is.boolean(candidate.deprecated)) && (candidate.children === void 0 || Array.isArray(candidate.children)) && (candidate.tags === void 0 || Array.isArray(candidate.tags));
      }
      DocumentSymbol2.is = is;
    })(DocumentSymbol || (DocumentSymbol = {}));
    (function(CodeActionKind2) {
      CodeActionKind2.Empty = "";
      CodeActionKind2.QuickFix = "quickfix";
      CodeActionKind2.Refactor = "refactor";
      CodeActionKind2.RefactorExtract = "refactor.extract";
      CodeActionKind2.RefactorInline = "refactor.inline";
      CodeActionKind2.RefactorMove = "refactor.move";
      CodeActionKind2.RefactorRewrite = "refactor.rewrite";
      CodeActionKind2.Source = "source";
      CodeActionKind2.SourceOrganizeImports = "source.organizeImports";
      CodeActionKind2.SourceFixAll = "source.fixAll";
      CodeActionKind2.Notebook = "notebook";
    })(CodeActionKind || (CodeActionKind = {}));
    (function(CodeActionTriggerKind2) {
      CodeActionTriggerKind2.Invoked = 1;
      CodeActionTriggerKind2.Automatic = 2;
    })(CodeActionTriggerKind || (CodeActionTriggerKind = {}));
    (function(CodeActionContext2) {
      function create(diagnostics, only, triggerKind) {
        const result = { diagnostics };
        if (only !== void 0 && only !== null) {
          result.only = only;
        }
        if (triggerKind !== void 0 && triggerKind !== null) {
          result.triggerKind = triggerKind;
        }
        return result;
      }
      CodeActionContext2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.typedArray(candidate.diagnostics, Diagnostic.is) && (candidate.only === void 0 || Is.typedArray(candidate.only, Is.string)) && (candidate.triggerKind === void 0 || candidate.triggerKind === CodeActionTriggerKind.Invoked || candidate.triggerKind === CodeActionTriggerKind.Automatic);
      }
      CodeActionContext2.is = is;
    })(CodeActionContext || (CodeActionContext = {}));
    (function(CodeActionTag2) {
      CodeActionTag2.LLMGenerated = 1;
      function is(value) {
        return Is.defined(value) && value === CodeActionTag2.LLMGenerated;
      }
      CodeActionTag2.is = is;
    })(CodeActionTag || (CodeActionTag = {}));
    (function(CodeAction2) {
      function create(title, kindOrCommandOrEdit, kind) {
        const result = { title };
        let checkKind = true;
        if (typeof kindOrCommandOrEdit === "string") {
          checkKind = false;
          result.kind = kindOrCommandOrEdit;
        } else if (Command.is(kindOrCommandOrEdit)) {
          result.command = kindOrCommandOrEdit;
        } else {
          result.edit = kindOrCommandOrEdit;
        }
        if (checkKind && kind !== void 0) {
          result.kind = kind;
        }
        return result;
      }
      CodeAction2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.title) && (candidate.diagnostics === void 0 || Is.typedArray(candidate.diagnostics, Diagnostic.is)) && (candidate.kind === void 0 || Is.string(candidate.kind)) && (candidate.edit !== void 0 || candidate.command !== void 0) && (candidate.command === void 0 || Command.is(candidate.command)) && (candidate.isPreferred === void 0 || Is.boolean(candidate.isPreferred)) && (candidate.edit === void 0 || WorkspaceEdit.is(candidate.edit)) && (candidate.tags === void 0 || Is.typedArray(candidate.tags, CodeActionTag.is));
      }
      CodeAction2.is = is;
    })(CodeAction || (CodeAction = {}));
    (function(CodeLens2) {
      function create(range, data) {
        const result = { range };
        if (Is.defined(data)) {
          result.data = data;
        }
        return result;
      }
      CodeLens2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.command) || Command.is(candidate.command));
      }
      CodeLens2.is = is;
    })(CodeLens || (CodeLens = {}));
    (function(FormattingOptions2) {
      function create(tabSize, insertSpaces) {
        return { tabSize, insertSpaces };
      }
      FormattingOptions2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.uinteger(candidate.tabSize) && Is.boolean(candidate.insertSpaces);
      }
      FormattingOptions2.is = is;
    })(FormattingOptions || (FormattingOptions = {}));
    (function(DocumentLink2) {
      function create(range, target, data) {
        return { range, target, data };
      }
      DocumentLink2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.target) || Is.string(candidate.target));
      }
      DocumentLink2.is = is;
    })(DocumentLink || (DocumentLink = {}));
    (function(SelectionRange2) {
      function create(range, parent) {
        return { range, parent };
      }
      SelectionRange2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (candidate.parent === void 0 || SelectionRange2.is(candidate.parent));
      }
      SelectionRange2.is = is;
    })(SelectionRange || (SelectionRange = {}));
    (function(SemanticTokenTypes2) {
      SemanticTokenTypes2["namespace"] = "namespace";
      SemanticTokenTypes2["type"] = "type";
      SemanticTokenTypes2["class"] = "class";
      SemanticTokenTypes2["enum"] = "enum";
      SemanticTokenTypes2["interface"] = "interface";
      SemanticTokenTypes2["struct"] = "struct";
      SemanticTokenTypes2["typeParameter"] = "typeParameter";
      SemanticTokenTypes2["parameter"] = "parameter";
      SemanticTokenTypes2["variable"] = "variable";
      SemanticTokenTypes2["property"] = "property";
      SemanticTokenTypes2["enumMember"] = "enumMember";
      SemanticTokenTypes2["event"] = "event";
      SemanticTokenTypes2["function"] = "function";
      SemanticTokenTypes2["method"] = "method";
      SemanticTokenTypes2["macro"] = "macro";
      SemanticTokenTypes2["keyword"] = "keyword";
      SemanticTokenTypes2["modifier"] = "modifier";
      SemanticTokenTypes2["comment"] = "comment";
      SemanticTokenTypes2["string"] = "string";
      SemanticTokenTypes2["number"] = "number";
      SemanticTokenTypes2["regexp"] = "regexp";
      SemanticTokenTypes2["operator"] = "operator";
      SemanticTokenTypes2["decorator"] = "decorator";
      SemanticTokenTypes2["label"] = "label";
    })(SemanticTokenTypes || (SemanticTokenTypes = {}));
    (function(SemanticTokenModifiers2) {
      SemanticTokenModifiers2["declaration"] = "declaration";
      SemanticTokenModifiers2["definition"] = "definition";
      SemanticTokenModifiers2["readonly"] = "readonly";
      SemanticTokenModifiers2["static"] = "static";
      SemanticTokenModifiers2["deprecated"] = "deprecated";
      SemanticTokenModifiers2["abstract"] = "abstract";
      SemanticTokenModifiers2["async"] = "async";
      SemanticTokenModifiers2["modification"] = "modification";
      SemanticTokenModifiers2["documentation"] = "documentation";
      SemanticTokenModifiers2["defaultLibrary"] = "defaultLibrary";
    })(SemanticTokenModifiers || (SemanticTokenModifiers = {}));
    (function(SemanticTokens2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && (candidate.resultId === void 0 || typeof candidate.resultId === "string") && Array.isArray(candidate.data) && (candidate.data.length === 0 || typeof candidate.data[0] === "number");
      }
      SemanticTokens2.is = is;
    })(SemanticTokens || (SemanticTokens = {}));
    (function(InlineValueText2) {
      function create(range, text) {
        return { range, text };
      }
      InlineValueText2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && Is.string(candidate.text);
      }
      InlineValueText2.is = is;
    })(InlineValueText || (InlineValueText = {}));
    (function(InlineValueVariableLookup2) {
      function create(range, variableName, caseSensitiveLookup) {
        return { range, variableName, caseSensitiveLookup };
      }
      InlineValueVariableLookup2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && Is.boolean(candidate.caseSensitiveLookup) && (Is.string(candidate.variableName) || candidate.variableName === void 0);
      }
      InlineValueVariableLookup2.is = is;
    })(InlineValueVariableLookup || (InlineValueVariableLookup = {}));
    (function(InlineValueEvaluatableExpression2) {
      function create(range, expression) {
        return { range, expression };
      }
      InlineValueEvaluatableExpression2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && (Is.string(candidate.expression) || candidate.expression === void 0);
      }
      InlineValueEvaluatableExpression2.is = is;
    })(InlineValueEvaluatableExpression || (InlineValueEvaluatableExpression = {}));
    (function(InlineValueContext2) {
      function create(frameId, stoppedLocation) {
        return { frameId, stoppedLocation };
      }
      InlineValueContext2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(value.stoppedLocation);
      }
      InlineValueContext2.is = is;
    })(InlineValueContext || (InlineValueContext = {}));
    (function(InlayHintKind2) {
      InlayHintKind2.Type = 1;
      InlayHintKind2.Parameter = 2;
      function is(value) {
        return value === 1 || value === 2;
      }
      InlayHintKind2.is = is;
    })(InlayHintKind || (InlayHintKind = {}));
    (function(InlayHintLabelPart2) {
      function create(value) {
        return { value };
      }
      InlayHintLabelPart2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip)) && (candidate.location === void 0 || Location.is(candidate.location)) && (candidate.command === void 0 || Command.is(candidate.command));
      }
      InlayHintLabelPart2.is = is;
    })(InlayHintLabelPart || (InlayHintLabelPart = {}));
    (function(InlayHint2) {
      function create(position, label, kind) {
        const result = { position, label };
        if (kind !== void 0) {
          result.kind = kind;
        }
        return result;
      }
      InlayHint2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.position) && (Is.string(candidate.label) || Is.typedArray(candidate.label, InlayHintLabelPart.is)) && (candidate.kind === void 0 || InlayHintKind.is(candidate.kind)) && candidate.textEdits === void 0 || Is.typedArray(candidate.textEdits, TextEdit.is) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip)) && (candidate.paddingLeft === void 0 || Is.boolean(candidate.paddingLeft)) && (candidate.paddingRight === void 0 || Is.boolean(candidate.paddingRight));
      }
      InlayHint2.is = is;
    })(InlayHint || (InlayHint = {}));
    (function(StringValue2) {
      function createSnippet(value) {
        return { kind: "snippet", value };
      }
      StringValue2.createSnippet = createSnippet;
      function isSnippet(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && candidate.kind === "snippet" && Is.string(candidate.value);
      }
      StringValue2.isSnippet = isSnippet;
    })(StringValue || (StringValue = {}));
    (function(InlineCompletionItem2) {
      function create(insertText, filterText, range, command) {
        return { insertText, filterText, range, command };
      }
      InlineCompletionItem2.create = create;
    })(InlineCompletionItem || (InlineCompletionItem = {}));
    (function(InlineCompletionList2) {
      function create(items) {
        return { items };
      }
      InlineCompletionList2.create = create;
    })(InlineCompletionList || (InlineCompletionList = {}));
    (function(InlineCompletionTriggerKind2) {
      InlineCompletionTriggerKind2.Invoked = 1;
      InlineCompletionTriggerKind2.Automatic = 2;
    })(InlineCompletionTriggerKind || (InlineCompletionTriggerKind = {}));
    (function(SelectedCompletionInfo2) {
      function create(range, text) {
        return { range, text };
      }
      SelectedCompletionInfo2.create = create;
    })(SelectedCompletionInfo || (SelectedCompletionInfo = {}));
    (function(InlineCompletionContext2) {
      function create(triggerKind, selectedCompletionInfo) {
        return { triggerKind, selectedCompletionInfo };
      }
      InlineCompletionContext2.create = create;
    })(InlineCompletionContext || (InlineCompletionContext = {}));
    (function(WorkspaceFolder2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && URI.is(candidate.uri) && Is.string(candidate.name);
      }
      WorkspaceFolder2.is = is;
    })(WorkspaceFolder || (WorkspaceFolder = {}));
    EOL = ["\n", "\r\n", "\r"];
    (function(TextDocument3) {
      function create(uri, languageId, version, content) {
        return new FullTextDocument(uri, languageId, version, content);
      }
      TextDocument3.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (Is.undefined(candidate.languageId) || Is.string(candidate.languageId)) && Is.uinteger(candidate.lineCount) && Is.func(candidate.getText) && Is.func(candidate.positionAt) && Is.func(candidate.offsetAt) ? true : false;
      }
      TextDocument3.is = is;
      function applyEdits(document, edits) {
        let text = document.getText();
        const sortedEdits = mergeSort2(edits, (a, b) => {
          const diff = a.range.start.line - b.range.start.line;
          if (diff === 0) {
            return a.range.start.character - b.range.start.character;
          }
          return diff;
        });
        let lastModifiedOffset = text.length;
        for (let i2 = sortedEdits.length - 1; i2 >= 0; i2--) {
          const e = sortedEdits[i2];
          const startOffset = document.offsetAt(e.range.start);
          const endOffset = document.offsetAt(e.range.end);
          if (endOffset <= lastModifiedOffset) {
            text = text.substring(0, startOffset) + e.newText + text.substring(endOffset, text.length);
          } else {
            throw new Error("Overlapping edit");
          }
          lastModifiedOffset = startOffset;
        }
        return text;
      }
      TextDocument3.applyEdits = applyEdits;
      function mergeSort2(data, compare) {
        if (data.length <= 1) {
          return data;
        }
        const p = data.length / 2 | 0;
        const left = data.slice(0, p);
        const right = data.slice(p);
        mergeSort2(left, compare);
        mergeSort2(right, compare);
        let leftIdx = 0;
        let rightIdx = 0;
        let i2 = 0;
        while (leftIdx < left.length && rightIdx < right.length) {
          const ret = compare(left[leftIdx], right[rightIdx]);
          if (ret <= 0) {
            data[i2++] = left[leftIdx++];
          } else {
            data[i2++] = right[rightIdx++];
          }
        }
        while (leftIdx < left.length) {
          data[i2++] = left[leftIdx++];
        }
        while (rightIdx < right.length) {
          data[i2++] = right[rightIdx++];
        }
        return data;
      }
    })(TextDocument || (TextDocument = {}));
    FullTextDocument = class {
      constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = void 0;
      }
      get uri() {
        return this._uri;
      }
      get languageId() {
        return this._languageId;
      }
      get version() {
        return this._version;
      }
      getText(range) {
        if (range) {
          const start = this.offsetAt(range.start);
          const end = this.offsetAt(range.end);
          return this._content.substring(start, end);
        }
        return this._content;
      }
      update(event, version) {
        this._content = event.text;
        this._version = version;
        this._lineOffsets = void 0;
      }
      getLineOffsets() {
        if (this._lineOffsets === void 0) {
          const lineOffsets = [];
          const text = this._content;
          let isLineStart = true;
          for (let i2 = 0; i2 < text.length; i2++) {
            if (isLineStart) {
              lineOffsets.push(i2);
              isLineStart = false;
            }
            const ch = text.charAt(i2);
            isLineStart = ch === "\r" || ch === "\n";
            if (ch === "\r" && i2 + 1 < text.length && text.charAt(i2 + 1) === "\n") {
              i2++;
            }
          }
          if (isLineStart && text.length > 0) {
            lineOffsets.push(text.length);
          }
          this._lineOffsets = lineOffsets;
        }
        return this._lineOffsets;
      }
      positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
          return Position.create(0, offset);
        }
        while (low < high) {
          const mid = Math.floor((low + high) / 2);
          if (lineOffsets[mid] > offset) {
            high = mid;
          } else {
            low = mid + 1;
          }
        }
        const line = low - 1;
        return Position.create(line, offset - lineOffsets[line]);
      }
      offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
          return this._content.length;
        } else if (position.line < 0) {
          return 0;
        }
        const lineOffset = lineOffsets[position.line];
        const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this._content.length;
        return Math.max(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
      }
      get lineCount() {
        return this.getLineOffsets().length;
      }
    };
    (function(Is2) {
      const toString2 = Object.prototype.toString;
      function defined(value) {
        return typeof value !== "undefined";
      }
      Is2.defined = defined;
      function undefined2(value) {
        return typeof value === "undefined";
      }
      Is2.undefined = undefined2;
      function boolean(value) {
        return value === true || value === false;
      }
      Is2.boolean = boolean;
      function string(value) {
        return toString2.call(value) === "[object String]";
      }
      Is2.string = string;
      function number(value) {
        return toString2.call(value) === "[object Number]";
      }
      Is2.number = number;
      function numberRange(value, min, max) {
        return toString2.call(value) === "[object Number]" && min <= value && value <= max;
      }
      Is2.numberRange = numberRange;
      function integer2(value) {
        return toString2.call(value) === "[object Number]" && -2147483648 <= value && value <= 2147483647;
      }
      Is2.integer = integer2;
      function uinteger2(value) {
        return toString2.call(value) === "[object Number]" && 0 <= value && value <= 2147483647;
      }
      Is2.uinteger = uinteger2;
      function func(value) {
        return toString2.call(value) === "[object Function]";
      }
      Is2.func = func;
      function objectLiteral(value) {
        return value !== null && typeof value === "object";
      }
      Is2.objectLiteral = objectLiteral;
      function typedArray(value, check) {
        return Array.isArray(value) && value.every(check);
      }
      Is2.typedArray = typedArray;
    })(Is || (Is = {}));
  }
});

// node_modules/dockerfile-ast/lib/line.js
var require_line = __commonJS({
  "node_modules/dockerfile-ast/lib/line.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Line = void 0;
    var Line = class {
      constructor(document, range) {
        this.document = document;
        this.range = range;
      }
      getRange() {
        return this.range;
      }
      getTextContent() {
        return this.document.getText().substring(this.document.offsetAt(this.range.start), this.document.offsetAt(this.range.end));
      }
      isAfter(line) {
        return this.range.start.line > line.range.start.line;
      }
      isBefore(line) {
        return this.range.start.line < line;
      }
    };
    exports.Line = Line;
  }
});

// node_modules/dockerfile-ast/lib/util.js
var require_util = __commonJS({
  "node_modules/dockerfile-ast/lib/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Util = void 0;
    var Util = class _Util {
      static isUTF8BOM(char) {
        const uintArray = Uint8Array.from(Buffer.from(char, "UTF-8"));
        return uintArray[0] === 239 && uintArray[1] == 187 && uintArray[2] == 191;
      }
      static isWhitespace(char) {
        return char === " " || char === "	" || _Util.isNewline(char);
      }
      static isNewline(char) {
        return char === "\r" || char === "\n";
      }
      static findLeadingNonWhitespace(content, escapeChar2) {
        whitespaceCheck: for (let i2 = 0; i2 < content.length; i2++) {
          switch (content.charAt(i2)) {
            case " ":
            case "	":
              continue;
            case escapeChar2:
              escapeCheck: for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    i2 = j + 1;
                    continue whitespaceCheck;
                  case "\n":
                    i2 = j;
                    continue whitespaceCheck;
                  default:
                    break escapeCheck;
                }
              }
              return -1;
            default:
              return i2;
          }
        }
        return -1;
      }
      /**
       * Determines if the given position is contained within the given range.
       *
       * @param position the position to check
       * @param range the range to see if the position is inside of
       */
      static isInsideRange(position, range) {
        if (range.start.line === range.end.line) {
          return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character;
        } else if (range.start.line === position.line) {
          return range.start.character <= position.character;
        } else if (range.end.line === position.line) {
          return position.character <= range.end.character;
        }
        return range.start.line < position.line && position.line < range.end.line;
      }
      static parseHeredocName(value) {
        value = value.substring(2);
        if (value.charAt(0) === "-") {
          value = value.substring(1);
        }
        if (value.charAt(0) === '"') {
          if (value.charAt(value.length - 1) !== '"') {
            return null;
          }
          value = value.substring(1, value.length - 1);
        }
        if (value.charAt(0) === "'") {
          if (value.charAt(value.length - 1) !== "'") {
            return null;
          }
          value = value.substring(1, value.length - 1);
        }
        if (value.charAt(0) === "<") {
          return null;
        }
        return value;
      }
    };
    exports.Util = Util;
  }
});

// node_modules/dockerfile-ast/lib/comment.js
var require_comment = __commonJS({
  "node_modules/dockerfile-ast/lib/comment.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Comment = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var line_1 = require_line();
    var util_1 = require_util();
    var Comment = class extends line_1.Line {
      constructor(document, range) {
        super(document, range);
      }
      toString() {
        const content = this.getContent();
        if (content) {
          return "# " + content;
        }
        return "#";
      }
      /**
       * Returns the content of this comment. This excludes leading and
       * trailing whitespace as well as the # symbol. If the comment only
       * consists of whitespace, the empty string will be returned.
       */
      getContent() {
        let range = this.getContentRange();
        if (range === null) {
          return "";
        }
        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
      }
      /**
       * Returns a range that includes the content of the comment
       * excluding any leading and trailing whitespace as well as the #
       * symbol. May return null if the comment only consists of whitespace
       * characters.
       */
      getContentRange() {
        let range = this.getRange();
        const startOffset = this.document.offsetAt(range.start);
        let raw = this.document.getText().substring(startOffset, this.document.offsetAt(range.end));
        let start = -1;
        let end = -1;
        for (let i2 = 1; i2 < raw.length; i2++) {
          if (!util_1.Util.isWhitespace(raw.charAt(i2))) {
            start = i2;
            break;
          }
        }
        if (start === -1) {
          return null;
        }
        for (let i2 = raw.length - 1; i2 >= 1; i2--) {
          if (!util_1.Util.isWhitespace(raw.charAt(i2))) {
            end = i2 + 1;
            break;
          }
        }
        return vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + start), this.document.positionAt(startOffset + end));
      }
    };
    exports.Comment = Comment;
  }
});

// node_modules/vscode-languageserver-textdocument/lib/esm/main.js
var main_exports2 = {};
__export(main_exports2, {
  TextDocument: () => TextDocument2
});
function mergeSort(data, compare) {
  if (data.length <= 1) {
    return data;
  }
  const p = data.length / 2 | 0;
  const left = data.slice(0, p);
  const right = data.slice(p);
  mergeSort(left, compare);
  mergeSort(right, compare);
  let leftIdx = 0;
  let rightIdx = 0;
  let i2 = 0;
  while (leftIdx < left.length && rightIdx < right.length) {
    const ret = compare(left[leftIdx], right[rightIdx]);
    if (ret <= 0) {
      data[i2++] = left[leftIdx++];
    } else {
      data[i2++] = right[rightIdx++];
    }
  }
  while (leftIdx < left.length) {
    data[i2++] = left[leftIdx++];
  }
  while (rightIdx < right.length) {
    data[i2++] = right[rightIdx++];
  }
  return data;
}
function computeLineOffsets(text, isAtLineStart, textOffset = 0) {
  const result = isAtLineStart ? [textOffset] : [];
  for (let i2 = 0; i2 < text.length; i2++) {
    const ch = text.charCodeAt(i2);
    if (isEOL(ch)) {
      if (ch === 13 && i2 + 1 < text.length && text.charCodeAt(i2 + 1) === 10) {
        i2++;
      }
      result.push(textOffset + i2 + 1);
    }
  }
  return result;
}
function isEOL(char) {
  return char === 13 || char === 10;
}
function getWellformedRange(range) {
  const start = range.start;
  const end = range.end;
  if (start.line > end.line || start.line === end.line && start.character > end.character) {
    return { start: end, end: start };
  }
  return range;
}
function getWellformedEdit(textEdit) {
  const range = getWellformedRange(textEdit.range);
  if (range !== textEdit.range) {
    return { newText: textEdit.newText, range };
  }
  return textEdit;
}
var FullTextDocument2, TextDocument2;
var init_main2 = __esm({
  "node_modules/vscode-languageserver-textdocument/lib/esm/main.js"() {
    "use strict";
    FullTextDocument2 = class _FullTextDocument {
      constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = void 0;
      }
      get uri() {
        return this._uri;
      }
      get languageId() {
        return this._languageId;
      }
      get version() {
        return this._version;
      }
      getText(range) {
        if (range) {
          const start = this.offsetAt(range.start);
          const end = this.offsetAt(range.end);
          return this._content.substring(start, end);
        }
        return this._content;
      }
      update(changes, version) {
        for (const change of changes) {
          if (_FullTextDocument.isIncremental(change)) {
            const range = getWellformedRange(change.range);
            const startOffset = this.offsetAt(range.start);
            const endOffset = this.offsetAt(range.end);
            this._content = this._content.substring(0, startOffset) + change.text + this._content.substring(endOffset, this._content.length);
            const insertedEndOffset = startOffset + change.text.length;
            const crlfAtStart = this._content.charCodeAt(startOffset - 1) === 13 && this._content.charCodeAt(startOffset) === 10;
            const crlfAtEnd = this._content.charCodeAt(insertedEndOffset - 1) === 13 && this._content.charCodeAt(insertedEndOffset) === 10;
            if (crlfAtStart || crlfAtEnd) {
              this._lineOffsets = void 0;
              continue;
            }
            const startLine = Math.max(range.start.line, 0);
            const endLine = Math.max(range.end.line, 0);
            let lineOffsets = this._lineOffsets;
            const addedLineOffsets = computeLineOffsets(change.text, false, startOffset);
            if (endLine - startLine === addedLineOffsets.length) {
              for (let i2 = 0, len = addedLineOffsets.length; i2 < len; i2++) {
                lineOffsets[i2 + startLine + 1] = addedLineOffsets[i2];
              }
            } else {
              if (addedLineOffsets.length < 1e4) {
                lineOffsets.splice(startLine + 1, endLine - startLine, ...addedLineOffsets);
              } else {
                this._lineOffsets = lineOffsets = lineOffsets.slice(0, startLine + 1).concat(addedLineOffsets, lineOffsets.slice(endLine + 1));
              }
            }
            const diff = change.text.length - (endOffset - startOffset);
            if (diff !== 0) {
              for (let i2 = startLine + 1 + addedLineOffsets.length, len = lineOffsets.length; i2 < len; i2++) {
                lineOffsets[i2] = lineOffsets[i2] + diff;
              }
            }
          } else if (_FullTextDocument.isFull(change)) {
            this._content = change.text;
            this._lineOffsets = void 0;
          } else {
            throw new Error("Unknown change event received");
          }
        }
        this._version = version;
      }
      getLineOffsets() {
        if (this._lineOffsets === void 0) {
          this._lineOffsets = computeLineOffsets(this._content, true);
        }
        return this._lineOffsets;
      }
      positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
          return { line: 0, character: offset };
        }
        while (low < high) {
          const mid = Math.floor((low + high) / 2);
          if (lineOffsets[mid] > offset) {
            high = mid;
          } else {
            low = mid + 1;
          }
        }
        const line = low - 1;
        offset = this.ensureBeforeEOL(offset, lineOffsets[line]);
        return { line, character: offset - lineOffsets[line] };
      }
      offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
          return this._content.length;
        } else if (position.line < 0) {
          return 0;
        }
        const lineOffset = lineOffsets[position.line];
        if (position.character <= 0) {
          return lineOffset;
        }
        const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this._content.length;
        const offset = Math.min(lineOffset + position.character, nextLineOffset);
        return this.ensureBeforeEOL(offset, lineOffset);
      }
      getLineRange(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
          const lastLine = lineOffsets.length - 1;
          return { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: this._content.length - lineOffsets[lastLine] } };
        } else if (line < 0) {
          return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        }
        const startOffset = lineOffsets[line];
        const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this._content.length;
        const endOffset = this.ensureBeforeEOL(nextLineOffset, startOffset);
        return { start: { line, character: 0 }, end: { line, character: endOffset - startOffset } };
      }
      getEOLCharacters(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
          return "";
        } else if (line < 0) {
          return "";
        }
        const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this._content.length;
        const eolOffset = this.ensureBeforeEOL(nextLineOffset, lineOffsets[line]);
        return this._content.substring(eolOffset, nextLineOffset);
      }
      ensureBeforeEOL(offset, lineOffset) {
        while (offset > lineOffset && isEOL(this._content.charCodeAt(offset - 1))) {
          offset--;
        }
        return offset;
      }
      get lineCount() {
        return this.getLineOffsets().length;
      }
      static isIncremental(event) {
        const candidate = event;
        return candidate !== void 0 && candidate !== null && typeof candidate.text === "string" && candidate.range !== void 0 && (candidate.rangeLength === void 0 || typeof candidate.rangeLength === "number");
      }
      static isFull(event) {
        const candidate = event;
        return candidate !== void 0 && candidate !== null && typeof candidate.text === "string" && candidate.range === void 0 && candidate.rangeLength === void 0;
      }
    };
    (function(TextDocument3) {
      function create(uri, languageId, version, content) {
        return new FullTextDocument2(uri, languageId, version, content);
      }
      TextDocument3.create = create;
      function update(document, changes, version) {
        if (document instanceof FullTextDocument2) {
          document.update(changes, version);
          return document;
        } else {
          throw new Error("TextDocument.update: document must be created by TextDocument.create");
        }
      }
      TextDocument3.update = update;
      function applyEdits(document, edits) {
        const text = document.getText();
        const sortedEdits = mergeSort(edits.map(getWellformedEdit), (a, b) => {
          const diff = a.range.start.line - b.range.start.line;
          if (diff === 0) {
            return a.range.start.character - b.range.start.character;
          }
          return diff;
        });
        let lastModifiedOffset = 0;
        const spans = [];
        for (const e of sortedEdits) {
          const startOffset = document.offsetAt(e.range.start);
          if (startOffset < lastModifiedOffset) {
            throw new Error("Overlapping edit");
          } else if (startOffset > lastModifiedOffset) {
            spans.push(text.substring(lastModifiedOffset, startOffset));
          }
          if (e.newText.length) {
            spans.push(e.newText);
          }
          lastModifiedOffset = document.offsetAt(e.range.end);
        }
        spans.push(text.substr(lastModifiedOffset));
        return spans.join("");
      }
      TextDocument3.applyEdits = applyEdits;
    })(TextDocument2 || (TextDocument2 = {}));
  }
});

// node_modules/dockerfile-ast/lib/parserDirective.js
var require_parserDirective = __commonJS({
  "node_modules/dockerfile-ast/lib/parserDirective.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ParserDirective = void 0;
    var main_1 = require_main();
    var line_1 = require_line();
    var ParserDirective = class extends line_1.Line {
      constructor(document, range, nameRange, valueRange) {
        super(document, range);
        this.nameRange = nameRange;
        this.valueRange = valueRange;
      }
      toString() {
        return "# " + this.getName() + "=" + this.getValue();
      }
      getNameRange() {
        return this.nameRange;
      }
      getValueRange() {
        return this.valueRange;
      }
      getName() {
        return this.document.getText().substring(this.document.offsetAt(this.nameRange.start), this.document.offsetAt(this.nameRange.end));
      }
      getValue() {
        return this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
      }
      getDirective() {
        const directive = main_1.Directive[this.getName().toLowerCase()];
        return directive === void 0 ? null : directive;
      }
    };
    exports.ParserDirective = ParserDirective;
  }
});

// node_modules/dockerfile-ast/lib/heredoc.js
var require_heredoc = __commonJS({
  "node_modules/dockerfile-ast/lib/heredoc.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Heredoc = void 0;
    var Heredoc = class {
      constructor(startRange, name, nameRange, contentRange, endRange) {
        this.startRange = startRange;
        this.name = name;
        this.nameRange = nameRange;
        this.contentRange = contentRange;
        this.endRange = endRange;
      }
      /**
       * Returns the name of the here-document.
       *
       * This API is experimental and subject to change.
       */
      getName() {
        return this.name;
      }
      /**
       * Returns the range of the start operator and the name. If the
       * here-document is initialized with <<EOT then the start range would
       * encompass all five characters.
       *
       * This API is experimental and subject to change.
       */
      getStartRange() {
        return this.startRange;
      }
      /**
       * Returns the range of this here-document's name that is declared at
       * the beginning of the here-document with the operator. If the
       * here-document is initialized with <<EOT then the name range would
       * encompass the latter three "EOT" characters.
       *
       * This API is experimental and subject to change.
       */
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the range of the content of this here-document. This may
       * be null if the here-document has no content because:
       * - the start range is the only thing that was declared
       * - the end range was declared immediately and there is no content
       *
       * This API is experimental and subject to change.
       */
      getContentRange() {
        return this.contentRange;
      }
      /**
       * Returns the range of the here-document's name on a line that
       * represents the end of the here-document.
       *
       * This API is experimental and subject to change.
       */
      getDelimiterRange() {
        return this.endRange;
      }
    };
    exports.Heredoc = Heredoc;
  }
});

// node_modules/dockerfile-ast/lib/variable.js
var require_variable = __commonJS({
  "node_modules/dockerfile-ast/lib/variable.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Variable = void 0;
    var Variable = class {
      constructor(name, nameRange, range, modifier, modifierRange, substitutionParameter, substitutionRange, defined, buildVariable, stringValue) {
        this.name = name;
        this.nameRange = nameRange;
        this.range = range;
        this.modifier = modifier;
        this.modifierRange = modifierRange;
        this.substitutionParameter = substitutionParameter;
        this.substitutionRange = substitutionRange;
        this.defined = defined;
        this.buildVariable = buildVariable;
        this.stringValue = stringValue;
      }
      toString() {
        return this.stringValue;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the range of the entire variable. This includes the symbols for
       * the declaration of the variable such as the $, {, and } symbols.
       *
       * @return the range in the document that this variable encompasses in its
       *         entirety
       */
      getRange() {
        return this.range;
      }
      /**
       * Returns the modifier character that has been set for
       * specifying how this variable should be expanded and resolved.
       * If this variable is ${variable:+value} then the modifier
       * character is '+'. Will be the empty string if the variable is
       * declared as ${variable:}. Otherwise, will be null if this
       * variable will not use variable substitution at all (such as
       * ${variable} or $variable).
       *
       * @return this variable's modifier character, or the empty
       *         string if it does not have one, or null if this
       *         variable will not use variable substitution
       */
      getModifier() {
        return this.modifier;
      }
      getModifierRange() {
        return this.modifierRange;
      }
      /**
       * Returns the parameter that will be used for substitution if
       * this variable uses modifiers to define how its value should be
       * resolved. If this variable is ${variable:+value} then the
       * substitution value will be 'value'. Will be the empty string
       * if the variable is declared as ${variable:+} or some other
       * variant where the only thing that follows the modifier
       * character (excluding considerations of escape characters and
       * so on) is the variable's closing bracket. May be null if this
       * variable does not have a modifier character defined (such as
       * ${variable} or $variable).
       *
       * @return this variable's substitution parameter, or the empty
       *         string if it does not have one, or null if there is
       *         not one defined
       */
      getSubstitutionParameter() {
        return this.substitutionParameter;
      }
      getSubstitutionRange() {
        return this.substitutionRange;
      }
      /**
       * Returns whether this variable has been defined or not.
       *
       * @return true if this variable has been defined, false otherwise
       */
      isDefined() {
        return this.defined;
      }
      isBuildVariable() {
        return this.buildVariable === true;
      }
      isEnvironmentVariable() {
        return this.buildVariable === false;
      }
    };
    exports.Variable = Variable;
  }
});

// node_modules/dockerfile-ast/lib/instruction.js
var require_instruction = __commonJS({
  "node_modules/dockerfile-ast/lib/instruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Instruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var util_1 = require_util();
    var line_1 = require_line();
    var argument_1 = require_argument();
    var heredoc_1 = require_heredoc();
    var variable_1 = require_variable();
    var main_1 = require_main();
    var Instruction = class extends line_1.Line {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range);
        this.dockerfile = dockerfile;
        this.escapeChar = escapeChar2;
        this.instruction = instruction;
        this.instructionRange = instructionRange;
      }
      toString() {
        let value = this.getKeyword();
        for (let arg of this.getRawArguments()) {
          value += " ";
          value += arg.getValue();
        }
        return value;
      }
      getRangeContent(range) {
        if (range === null) {
          return null;
        }
        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
      }
      getInstructionRange() {
        return this.instructionRange;
      }
      getInstruction() {
        return this.instruction;
      }
      getKeyword() {
        return this.getInstruction().toUpperCase();
      }
      getArgumentsRange() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        return vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end);
      }
      getArgumentsRanges() {
        let args = this.getArguments();
        if (args.length === 0) {
          return [];
        }
        if (args[0].getRange().start.line === args[args.length - 1].getRange().end.line) {
          return [vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end)];
        }
        let ranges = [];
        let end = -1;
        let startPosition = args[0].getRange().start;
        let range = this.getInstructionRange();
        let extra = this.document.offsetAt(startPosition) - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra, this.document.offsetAt(args[args.length - 1].getRange().end) - this.document.offsetAt(range.start));
        let offset = this.document.offsetAt(range.start) + extra;
        let start = false;
        let comment = false;
        for (let i2 = 0; i2 < fullArgs.length; i2++) {
          let char = fullArgs.charAt(i2);
          if (char === this.escapeChar) {
            let next = fullArgs.charAt(i2 + 1);
            if (next === " " || next === "	") {
              whitespaceCheck: for (let j = i2 + 2; j < fullArgs.length; j++) {
                switch (fullArgs.charAt(j)) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    j++;
                  case "\n":
                    if (startPosition !== null) {
                      ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
                    }
                    startPosition = null;
                    start = true;
                    comment = false;
                    i2 = j;
                    break whitespaceCheck;
                  default:
                    break whitespaceCheck;
                }
              }
            } else if (next === "\r") {
              if (startPosition !== null) {
                ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
                startPosition = null;
              }
              start = true;
              comment = false;
              i2 += 2;
            } else if (next === "\n") {
              if (startPosition !== null) {
                ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
              }
              startPosition = null;
              start = true;
              comment = false;
              i2++;
            } else {
              i2++;
            }
          } else if (util_1.Util.isNewline(char)) {
            if (comment) {
              startPosition = null;
              start = true;
              comment = false;
            }
          } else {
            if (!comment) {
              if (startPosition === null) {
                if (char === "#") {
                  comment = true;
                  continue;
                }
                let position = this.document.positionAt(offset + i2);
                if (position.character !== 0) {
                  startPosition = vscode_languageserver_types_1.Position.create(position.line, 0);
                }
              }
              end = i2;
            }
          }
        }
        if (startPosition === null) {
          ranges.push(vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + end), this.document.positionAt(offset + end + 1)));
        } else {
          ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
        }
        return ranges;
      }
      getRawArgumentsContent() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        return this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end));
      }
      getArgumentsContent() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        let content = "";
        let ranges = this.getArgumentsRanges();
        let documentText = this.document.getText();
        for (let range of ranges) {
          content += documentText.substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
        }
        return content;
      }
      getArguments() {
        return this.getRawArguments();
      }
      getRawArguments() {
        let args = [];
        let range = this.getInstructionRange();
        let extra = this.document.offsetAt(range.end) - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra);
        let offset = this.document.offsetAt(range.start) + extra;
        let start = false;
        let comment = false;
        let found = -1;
        let escapedWhitespaceDetected = false;
        let escaping = false;
        let escapeMarker = -1;
        let escapedArg = "";
        for (let i2 = 0; i2 < fullArgs.length; i2++) {
          let char = fullArgs.charAt(i2);
          if (util_1.Util.isWhitespace(char)) {
            if (escaping) {
              escapedWhitespaceDetected = true;
              if (util_1.Util.isNewline(char)) {
                escapedWhitespaceDetected = false;
                if (comment) {
                  comment = false;
                  start = true;
                }
              }
              continue;
            } else if (found !== -1) {
              if (escapeMarker === -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + i2))));
              } else {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
              }
              escapeMarker = -1;
              escapedArg = "";
              found = -1;
            }
          } else if (char === this.escapeChar) {
            let next = fullArgs.charAt(i2 + 1);
            if (next === " " || next === "	") {
              whitespaceCheck: for (let j = i2 + 2; j < fullArgs.length; j++) {
                let newlineCheck = fullArgs.charAt(j);
                switch (newlineCheck) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    j++;
                  case "\n":
                    comment = false;
                    escaping = true;
                    start = true;
                    if (found !== -1) {
                      escapeMarker = i2;
                    }
                    i2 = j;
                    break whitespaceCheck;
                  default:
                    escapeMarker = i2;
                    if (found === -1) {
                      i2 = j - 1;
                    }
                    break whitespaceCheck;
                }
              }
            } else if (next === "\r") {
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1 && escapeMarker === -1) {
                escapeMarker = i2;
              }
              i2 += 2;
            } else if (next === "\n") {
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1 && escapeMarker === -1) {
                escapeMarker = i2;
              }
              i2++;
            } else {
              if (escapedWhitespaceDetected && escapeMarker !== -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
                escapedArg = "";
                found = -1;
              }
              escapeMarker = -1;
              escapedWhitespaceDetected = false;
              escaping = false;
              if (next === "$") {
                escapedArg = escapedArg + char + next;
              } else if (next === "") {
                break;
              } else {
                escapedArg = escapedArg + next;
              }
              if (found === -1) {
                found = i2;
              }
              i2++;
            }
          } else if (!comment) {
            if (start && char === "#") {
              comment = true;
            } else {
              if (escapedWhitespaceDetected && escapeMarker !== -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
                escapedArg = "";
                found = -1;
              }
              escapedWhitespaceDetected = false;
              escaping = false;
              escapeMarker = -1;
              escapedArg = escapedArg + char;
              if (found === -1) {
                found = i2;
              }
            }
            start = false;
          }
        }
        if (found !== -1) {
          if (escapeMarker === -1) {
            args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + fullArgs.length))));
          } else {
            args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
          }
        }
        return args;
      }
      getExpandedArguments() {
        let args = this.getArguments();
        for (let i2 = 0; i2 < args.length; i2++) {
          const argRange = args[i2].getRange();
          let offset = this.document.offsetAt(argRange.start);
          const variables = this.parseVariables(offset, args[i2].getValue());
          const swaps = [];
          let requiresExpansion = false;
          for (let variable of variables) {
            const value = this.dockerfile.resolveVariable(variable.getName(), variable.getNameRange().start.line);
            swaps.push(value);
            requiresExpansion = requiresExpansion || value !== void 0;
          }
          if (requiresExpansion) {
            let expanded = "";
            for (let j = 0; j < swaps.length; j++) {
              const variableRange = variables[j].getRange();
              const start = this.document.offsetAt(variableRange.start);
              const end = this.document.offsetAt(variableRange.end);
              if (swaps[j]) {
                expanded += this.document.getText().substring(offset, start);
                expanded += swaps[j];
                offset = end;
              } else {
                expanded += this.document.getText().substring(offset, end);
                offset = end;
              }
            }
            const argEnd = this.document.offsetAt(argRange.end);
            if (argEnd !== offset) {
              expanded += this.document.getText().substring(offset, argEnd);
            }
            args[i2] = new argument_1.Argument(expanded, argRange);
          }
        }
        return args;
      }
      getVariables() {
        const variables = [];
        const args = this.getRawArguments();
        for (const arg of args) {
          let range = arg.getRange();
          let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
          const parsedVariables = this.parseVariables(this.document.offsetAt(arg.getRange().start), rawValue);
          for (const parsedVariable of parsedVariables) {
            variables.push(parsedVariable);
          }
        }
        return variables;
      }
      parseVariables(offset, arg) {
        let variables = [];
        variableLoop: for (let i2 = 0; i2 < arg.length; i2++) {
          switch (arg.charAt(i2)) {
            case this.escapeChar:
              if (arg.charAt(i2 + 1) === "$") {
                i2++;
              }
              break;
            case "$":
              if (arg.charAt(i2 + 1) === "{") {
                let escapedString = "${";
                let escapedName = "";
                let nameEnd = -1;
                let escapedSubstitutionParameter = "";
                let substitutionStart = -1;
                let substitutionEnd = -1;
                let modifierRead = -1;
                nameLoop: for (let j = i2 + 2; j < arg.length; j++) {
                  let char = arg.charAt(j);
                  switch (char) {
                    case this.escapeChar:
                      for (let k = j + 1; k < arg.length; k++) {
                        switch (arg.charAt(k)) {
                          case " ":
                          case "	":
                          case "\r":
                            continue;
                          case "\n":
                            j = k;
                            continue nameLoop;
                        }
                      }
                      break;
                    case "}":
                      escapedString += "}";
                      let modifier = null;
                      let modifierRange = null;
                      let substitutionParameter = modifierRead !== -1 ? escapedSubstitutionParameter : null;
                      let substitutionRange = null;
                      if (nameEnd === -1) {
                        nameEnd = j;
                      } else if (nameEnd + 1 === j) {
                        modifier = "";
                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + nameEnd + 1), this.document.positionAt(offset + nameEnd + 1));
                      } else {
                        if (substitutionStart === -1) {
                          substitutionStart = modifierRead + 1;
                          substitutionEnd = modifierRead + 1;
                        } else {
                          substitutionEnd = substitutionEnd + 1;
                        }
                        modifier = arg.substring(modifierRead, modifierRead + 1);
                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + modifierRead), this.document.positionAt(offset + modifierRead + 1));
                        substitutionRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + substitutionStart), this.document.positionAt(offset + substitutionEnd));
                      }
                      let start = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 2), this.document.positionAt(offset + nameEnd)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + j + 1)), modifier, modifierRange, substitutionParameter, substitutionRange, this.dockerfile.resolveVariable(escapedName, start.line) !== void 0, this.isBuildVariable(escapedName, start.line), escapedString));
                      i2 = j;
                      continue variableLoop;
                    case ":":
                      if (nameEnd === -1) {
                        nameEnd = j;
                      } else if (modifierRead !== -1) {
                        if (substitutionStart === -1) {
                          substitutionStart = j;
                          substitutionEnd = j;
                        } else {
                          substitutionEnd = j;
                        }
                        escapedSubstitutionParameter += ":";
                      } else {
                        modifierRead = j;
                      }
                      escapedString += ":";
                      break;
                    case "\n":
                    case "\r":
                    case " ":
                    case "	":
                      break;
                    default:
                      if (nameEnd === -1) {
                        escapedName += char;
                      } else if (modifierRead !== -1) {
                        if (substitutionStart === -1) {
                          substitutionStart = j;
                          substitutionEnd = j;
                        } else {
                          substitutionEnd = j;
                        }
                        escapedSubstitutionParameter += char;
                      } else {
                        modifierRead = j;
                      }
                      escapedString += char;
                      break;
                  }
                }
                break variableLoop;
              } else if (util_1.Util.isWhitespace(arg.charAt(i2 + 1)) || i2 === arg.length - 1) {
                continue;
              } else {
                let escapedName = "";
                nameLoop: for (let j = i2 + 1; j < arg.length; j++) {
                  let char = arg.charAt(j);
                  switch (char) {
                    case "\r":
                    case "\n":
                    case " ":
                    case "	":
                      continue;
                    case "$":
                    case "'":
                    case '"':
                      let varStart = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== void 0, this.isBuildVariable(escapedName, varStart.line), "$" + escapedName));
                      i2 = j - 1;
                      continue variableLoop;
                    case this.escapeChar:
                      for (let k = j + 1; k < arg.length; k++) {
                        switch (arg.charAt(k)) {
                          case " ":
                          case "	":
                          case "\r":
                            continue;
                          case "\n":
                            j = k;
                            continue nameLoop;
                        }
                      }
                      let start2 = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(start2, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start2.line) !== void 0, this.isBuildVariable(escapedName, start2.line), "$" + escapedName));
                      break variableLoop;
                  }
                  if (char.match(/^[a-z0-9_]+$/i) === null) {
                    let varStart = this.document.positionAt(offset + i2);
                    variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== void 0, this.isBuildVariable(escapedName, varStart.line), "$" + escapedName));
                    i2 = j - 1;
                    continue variableLoop;
                  }
                  escapedName += char;
                }
                let start = this.document.positionAt(offset + i2);
                variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + arg.length)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + arg.length)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start.line) !== void 0, this.isBuildVariable(escapedName, start.line), "$" + escapedName));
              }
              break variableLoop;
          }
        }
        return variables;
      }
      isBuildVariable(variable, line) {
        if (this.getKeyword() === main_1.Keyword.FROM) {
          for (const initialArg of this.dockerfile.getInitialARGs()) {
            const arg = initialArg;
            const property = arg.getProperty();
            if (property && variable === property.getName()) {
              return true;
            }
          }
          return void 0;
        }
        let image = this.dockerfile.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        let envs = image.getENVs();
        for (let i2 = envs.length - 1; i2 >= 0; i2--) {
          if (envs[i2].isBefore(line)) {
            for (let property of envs[i2].getProperties()) {
              if (property.getName() === variable) {
                return false;
              }
            }
          }
        }
        let args = image.getARGs();
        for (let i2 = args.length - 1; i2 >= 0; i2--) {
          if (args[i2].isBefore(line)) {
            let property = args[i2].getProperty();
            if (property && property.getName() === variable) {
              return true;
            }
          }
        }
        return void 0;
      }
      createSingleLineHeredocs(args) {
        const heredocs = [];
        for (const arg of args) {
          const value = arg.getValue();
          if (value.startsWith("<<") && util_1.Util.parseHeredocName(value) !== null) {
            const startRange = arg.getRange();
            const nameRange = this.getNameRange(startRange);
            const name = this.getName(nameRange);
            heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, null, null));
          }
        }
        return heredocs;
      }
      getName(nameRange) {
        const content = this.document.getText(nameRange);
        let escaping = false;
        let name = "";
        nameLoop: for (let i2 = 0; i2 < content.length; i2++) {
          const ch = content.charAt(i2);
          switch (ch) {
            case this.escapeChar:
              escaping = true;
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    break;
                  case "\r":
                    i2 = j + 1;
                    continue nameLoop;
                  case "\n":
                    i2 = j;
                    continue nameLoop;
                  default:
                    name += content.charAt(j);
                    i2 = j;
                    continue nameLoop;
                }
              }
              break;
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue nameLoop;
                  }
                }
              }
            case " ":
            case "	":
            case "\r":
            case "\n":
              if (escaping) {
                break;
              }
            default:
              name += ch;
              break;
          }
        }
        return name;
      }
      getNameRange(startRange) {
        const content = this.document.getText(startRange);
        let endFound = false;
        let searchHyphen = false;
        let start = -1;
        let end = -1;
        let escaping = false;
        let quote = null;
        contentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          const ch = content.charAt(i2);
          switch (ch) {
            case '"':
            case "'":
              if (quote === ch) {
                break contentLoop;
              }
              quote = ch;
              continue;
            case this.escapeChar:
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case "\n":
                    escaping = true;
                    j = i2;
                    continue contentLoop;
                }
              }
              break;
            case " ":
            case "	":
            case "\r":
            case "\n":
              break;
            case "<":
              if (endFound) {
                searchHyphen = true;
              } else {
                endFound = true;
              }
              break;
            case "-":
              if (searchHyphen) {
                searchHyphen = false;
                break;
              }
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue contentLoop;
                  }
                }
              }
            default:
              if (start === -1) {
                start = i2;
              }
              if (quote !== null) {
                end = i2 + 1;
                break;
              }
              break contentLoop;
          }
        }
        if (start === -1) {
          return vscode_languageserver_types_1.Range.create(startRange.end, startRange.end);
        }
        const nameStart = this.document.positionAt(this.document.offsetAt(startRange.start) + start);
        const nameEnd = quote !== null ? this.document.positionAt(this.document.offsetAt(startRange.start) + end) : startRange.end;
        return vscode_languageserver_types_1.Range.create(nameStart, nameEnd);
      }
      getHeredocs() {
        const args = this.getArguments();
        if (args.length === 0) {
          return [];
        }
        const heredocs = [];
        const range = this.getRange();
        if (range.start.line === range.end.line) {
          return this.createSingleLineHeredocs(args);
        }
        const heredocDefinitions = [];
        let heredocsProcessed = false;
        let escaping = false;
        let contentStart = -1;
        let contentEnd = -1;
        let lineStart = -1;
        let currentHeredoc = 0;
        const startOffset = this.document.offsetAt(args[0].getRange().start);
        const content = this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end));
        contentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          switch (content.charAt(i2)) {
            case this.escapeChar:
              escaping = true;
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    break;
                  case "\r":
                    j++;
                  case "\n":
                    i2 = j;
                    continue contentLoop;
                  default:
                    i2 = j;
                    continue contentLoop;
                }
              }
              break;
            case "\r":
              break;
            case "\n":
              if (escaping) {
                break;
              }
              if (heredocsProcessed) {
                if (contentStart === -1) {
                  contentStart = i2;
                }
                contentEnd = i2;
                const arg = heredocDefinitions[currentHeredoc];
                const startRange = arg.getRange();
                const nameRange = this.getNameRange(startRange);
                const name = this.getName(nameRange);
                const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), this.document.positionAt(startOffset + i2)));
                if (delimiterRange !== null) {
                  const contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + lineStart - 1));
                  heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
                  contentStart = -1;
                  currentHeredoc++;
                }
                lineStart = -1;
              } else {
                const offsetLimit = startOffset + i2;
                for (const arg of args) {
                  if (this.document.offsetAt(arg.getRange().start) < offsetLimit) {
                    if (arg.getValue().startsWith("<<")) {
                      heredocDefinitions.push(arg);
                    }
                  } else {
                    break;
                  }
                }
                heredocsProcessed = true;
                lineStart = -1;
                continue contentLoop;
              }
              break;
            case " ":
            case "	":
              if (escaping) {
                break;
              }
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue contentLoop;
                  }
                }
              }
            default:
              if (escaping) {
                escaping = false;
              }
              if (heredocsProcessed) {
                if (contentStart === -1) {
                  contentStart = i2;
                }
                if (lineStart === -1) {
                  lineStart = i2;
                }
              }
              break;
          }
        }
        if (heredocsProcessed) {
          const arg = heredocDefinitions[currentHeredoc];
          const startRange = arg.getRange();
          const nameRange = this.getNameRange(startRange);
          const name = this.getName(nameRange);
          let contentRange = null;
          const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), range.end));
          if (delimiterRange === null) {
            contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), range.end);
          } else if (contentEnd !== -1) {
            contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + contentEnd));
          }
          heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
          currentHeredoc++;
          for (let i2 = currentHeredoc; i2 < heredocDefinitions.length; i2++) {
            const arg2 = heredocDefinitions[currentHeredoc];
            const startRange2 = arg2.getRange();
            const nameRange2 = this.getNameRange(startRange2);
            const name2 = this.getName(nameRange2);
            heredocs.push(new heredoc_1.Heredoc(startRange2, name2, nameRange2, null, null));
            currentHeredoc++;
          }
        } else {
          return this.createSingleLineHeredocs(args);
        }
        return heredocs;
      }
      getDelimiterRange(startArg, name, candidateRange) {
        const text = this.document.getText(candidateRange);
        if (startArg.getValue().startsWith("<<-")) {
          let index = 0;
          while (text.charAt(index) === "	") {
            index++;
          }
          if (text.substring(index) === name) {
            return vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(candidateRange.start.line, index), candidateRange.end);
          }
          return null;
        }
        return text === name ? candidateRange : null;
      }
    };
    exports.Instruction = Instruction;
  }
});

// node_modules/dockerfile-ast/lib/flagOption.js
var require_flagOption = __commonJS({
  "node_modules/dockerfile-ast/lib/flagOption.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FlagOption = void 0;
    var FlagOption = class {
      constructor(range, name, nameRange, value, valueRange) {
        this.range = range;
        this.name = name;
        this.nameRange = nameRange;
        this.value = value;
        this.valueRange = valueRange;
      }
      toString() {
        if (this.valueRange !== null) {
          return this.name + "=" + this.value;
        }
        return this.name;
      }
      getRange() {
        return this.range;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      getValue() {
        return this.value;
      }
      getValueRange() {
        return this.valueRange;
      }
    };
    exports.FlagOption = FlagOption;
  }
});

// node_modules/dockerfile-ast/lib/flag.js
var require_flag = __commonJS({
  "node_modules/dockerfile-ast/lib/flag.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Flag = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var flagOption_1 = require_flagOption();
    var Flag = class {
      constructor(document, range, name, nameRange, value, valueRange) {
        this.options = [];
        this.range = range;
        this.name = name;
        this.nameRange = nameRange;
        this.value = value;
        this.valueRange = valueRange;
        if (this.value !== null) {
          let offset = document.offsetAt(valueRange.start);
          let nameStart = -1;
          let valueStart = -1;
          let hasOptions = false;
          for (let i2 = 0; i2 < value.length; i2++) {
            switch (value.charAt(i2)) {
              case "=":
                hasOptions = true;
                if (valueStart === -1) {
                  valueStart = i2 + 1;
                  break;
                }
                break;
              case ",":
                this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, i2));
                nameStart = -1;
                valueStart = -1;
                break;
              default:
                if (nameStart === -1) {
                  nameStart = i2;
                }
                break;
            }
          }
          if (hasOptions && nameStart !== -1) {
            this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, value.length));
          }
        }
      }
      createFlagOption(document, content, documentOffset, nameStart, valueStart, valueEnd) {
        const optionRange = vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueEnd));
        if (valueStart === -1) {
          return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueEnd), optionRange, null, null);
        }
        return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueStart - 1), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueStart - 1)), content.substring(valueStart, valueEnd), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + valueStart), document.positionAt(documentOffset + valueEnd)));
      }
      toString() {
        if (this.valueRange) {
          return "--" + this.name + "=" + this.value;
        }
        return "--" + this.name;
      }
      /**
       * Returns the range that encompasses this entire flag. This includes the
       * -- prefix in the beginning to the last character of the flag's value (if
       * it has been defined).
       *
       * @return the entire range of this flag
       */
      getRange() {
        return this.range;
      }
      /**
       * Returns the name of this flag. The name does not include the -- prefix.
       * Thus, for HEALTHCHECK's --interval flag, interval is the flag's name and
       * not --interval.
       *
       * @return this flag's name
       */
      getName() {
        return this.name;
      }
      /**
       * Returns the range that encompasses the flag's name
       *
       * @return the range containing the flag's name
       */
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the value that has been set to this flag. May be null if the
       * flag is invalid and has no value set like a --start-period. If the flag
       * is instead a --start-period= with an equals sign then the flag's value
       * is the empty string.
       *
       * @return this flag's value if it has been defined, null otherwise
       */
      getValue() {
        return this.value;
      }
      /**
       * Returns the range that encompasses this flag's value. If no value has
       * been set then null will be returned.
       *
       * @return the range containing this flag's value, or null if the flag
       *         has no value defined
       */
      getValueRange() {
        return this.valueRange;
      }
      getOption(name) {
        for (const option of this.options) {
          if (option.getName() === name) {
            return option;
          }
        }
        return null;
      }
      getOptions() {
        return this.options;
      }
      hasOptions() {
        return this.options.length > 0;
      }
    };
    exports.Flag = Flag;
  }
});

// node_modules/dockerfile-ast/lib/modifiableInstruction.js
var require_modifiableInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/modifiableInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ModifiableInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var flag_1 = require_flag();
    var instruction_1 = require_instruction();
    var ModifiableInstruction2 = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getFlags() {
        if (!this.flags) {
          this.flags = [];
          for (let arg of this.getArguments()) {
            let value = arg.getValue();
            if (this.stopSearchingForFlags(value)) {
              return this.flags;
            } else if (value.indexOf("--") === 0) {
              let range = arg.getRange();
              let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
              let nameIndex = value.indexOf("=");
              let index = rawValue.indexOf("=");
              let firstMatch = false;
              let secondMatch = false;
              let startIndex = -1;
              nameSearchLoop: for (let i2 = 0; i2 < rawValue.length; i2++) {
                switch (rawValue.charAt(i2)) {
                  case "\\":
                  case " ":
                  case "	":
                  case "\r":
                  case "\n":
                    break;
                  case "-":
                    if (secondMatch) {
                      startIndex = i2;
                      break nameSearchLoop;
                    } else if (firstMatch) {
                      secondMatch = true;
                    } else {
                      firstMatch = true;
                    }
                    break;
                  default:
                    startIndex = i2;
                    break nameSearchLoop;
                }
              }
              let nameStart = this.document.positionAt(this.document.offsetAt(range.start) + startIndex);
              if (index === -1) {
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2), vscode_languageserver_types_1.Range.create(nameStart, range.end), null, null));
              } else if (index === value.length - 1) {
                let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, index), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), "", vscode_languageserver_types_1.Range.create(range.end, range.end)));
              } else {
                let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, nameIndex), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), value.substring(nameIndex + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(this.document.offsetAt(range.start) + index + 1), range.end)));
              }
            }
          }
        }
        return this.flags;
      }
      getArguments() {
        const args = super.getArguments();
        const flags = this.getFlags();
        if (flags.length === 0) {
          return args;
        }
        for (let i2 = 0; i2 < flags.length; i2++) {
          args.shift();
        }
        return args;
      }
    };
    exports.ModifiableInstruction = ModifiableInstruction2;
  }
});

// node_modules/dockerfile-ast/lib/jsonInstruction.js
var require_jsonInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/jsonInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.JSONInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var argument_1 = require_argument();
    var jsonArgument_1 = require_jsonArgument();
    var modifiableInstruction_1 = require_modifiableInstruction();
    var JSONInstruction = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.openingBracket = null;
        this.closingBracket = null;
        this.jsonStrings = [];
        const argsContent = this.getRawArgumentsContent();
        if (argsContent === null) {
          return;
        }
        const args = this.getArguments();
        if (args.length === 1 && args[0].getValue() === "[]") {
          let argRange = args[0].getRange();
          this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character, argRange.start.line, argRange.start.character + 1));
          this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character + 1, argRange.end.line, argRange.end.character));
          return;
        } else if (args.length === 2 && args[0].getValue() === "[" && args[1].getValue() === "]") {
          this.openingBracket = args[0];
          this.closingBracket = args[1];
          return;
        }
        const argsOffset = document.offsetAt(this.getArgumentsRange().start);
        let start = -1;
        let last = "";
        let quoted = false;
        let escapedArg = "";
        argsCheck: for (let i2 = 0; i2 < argsContent.length; i2++) {
          let char = argsContent.charAt(i2);
          switch (char) {
            case "[":
              if (last === "") {
                this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i2), document.positionAt(argsOffset + i2 + 1)));
                last = "[";
              } else if (quoted) {
                escapedArg = escapedArg + char;
              } else {
                break argsCheck;
              }
              break;
            case '"':
              if (last === "[" || last === ",") {
                start = i2;
                quoted = true;
                last = '"';
                escapedArg = escapedArg + char;
                continue;
              } else if (last === '"') {
                if (quoted) {
                  escapedArg = escapedArg + char;
                  quoted = false;
                  this.jsonStrings.push(new jsonArgument_1.JSONArgument(escapedArg, vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start), document.positionAt(argsOffset + i2 + 1)), vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start + 1), document.positionAt(argsOffset + i2))));
                  escapedArg = "";
                } else {
                  break argsCheck;
                }
              } else {
                break argsCheck;
              }
              break;
            case ",":
              if (quoted) {
                escapedArg = escapedArg + char;
              } else {
                if (last === '"') {
                  last = ",";
                } else {
                  break argsCheck;
                }
              }
              break;
            case "]":
              if (quoted) {
                escapedArg = escapedArg + char;
              } else if (last !== "") {
                this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i2), document.positionAt(argsOffset + i2 + 1)));
                break argsCheck;
              }
              break;
            case " ":
            case "	":
              break;
            case "\\":
              if (quoted) {
                switch (argsContent.charAt(i2 + 1)) {
                  case '"':
                  case "\\":
                    escapedArg = escapedArg + argsContent.charAt(i2 + 1);
                    i2++;
                    continue;
                  case " ":
                  case "	":
                    escapeCheck: for (let j = i2 + 2; j < argsContent.length; j++) {
                      switch (argsContent.charAt(j)) {
                        case "\r":
                          j++;
                        case "\n":
                          i2 = j;
                          continue argsCheck;
                        case " ":
                        case "	":
                          break;
                        default:
                          break escapeCheck;
                      }
                    }
                    break;
                  case "\r":
                    i2++;
                  default:
                    i2++;
                    continue;
                }
              } else {
                escapeCheck: for (let j = i2 + 1; j < argsContent.length; j++) {
                  switch (argsContent.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      continue argsCheck;
                    case " ":
                    case "	":
                      break;
                    default:
                      break escapeCheck;
                  }
                }
              }
              break argsCheck;
            default:
              if (!quoted) {
                break argsCheck;
              }
              escapedArg = escapedArg + char;
              break;
          }
        }
      }
      stopSearchingForFlags(_value) {
        return true;
      }
      getOpeningBracket() {
        return this.openingBracket;
      }
      getJSONStrings() {
        return this.jsonStrings;
      }
      getClosingBracket() {
        return this.closingBracket;
      }
    };
    exports.JSONInstruction = JSONInstruction;
  }
});

// node_modules/dockerfile-ast/lib/instructions/add.js
var require_add = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/add.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Add = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Add = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
    };
    exports.Add = Add;
  }
});

// node_modules/dockerfile-ast/lib/property.js
var require_property = __commonJS({
  "node_modules/dockerfile-ast/lib/property.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Property = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var util_1 = require_util();
    var Property = class _Property {
      constructor(document, escapeChar2, arg, arg2) {
        this.assignmentOperatorRange = null;
        this.assignmentOperator = null;
        this.valueRange = null;
        this.value = null;
        this.document = document;
        this.escapeChar = escapeChar2;
        this.nameRange = _Property.getNameRange(document, arg);
        let value = document.getText().substring(document.offsetAt(this.nameRange.start), document.offsetAt(this.nameRange.end));
        this.name = _Property.getValue(value, escapeChar2);
        if (arg2) {
          this.valueRange = arg2.getRange();
          value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
          this.value = _Property.getValue(value, escapeChar2);
          this.range = vscode_languageserver_types_1.Range.create(this.nameRange.start, this.valueRange.end);
        } else {
          let argRange = arg.getRange();
          if (this.nameRange.start.line === argRange.start.line && this.nameRange.start.character === argRange.start.character && this.nameRange.end.line === argRange.end.line && this.nameRange.end.character === argRange.end.character) {
          } else {
            this.valueRange = _Property.getValueRange(document, arg);
            value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
            this.value = _Property.getValue(value, escapeChar2);
            this.assignmentOperatorRange = vscode_languageserver_types_1.Range.create(this.nameRange.end, this.valueRange.start);
            this.assignmentOperator = "=";
          }
          this.range = argRange;
        }
      }
      getRange() {
        return this.range;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      getValue() {
        return this.value;
      }
      getValueRange() {
        return this.valueRange;
      }
      /**
       * Retrieves the operator used for delimiting between the name and
       * value of this property. This will either be the "=" character
       * or null if a character was not used or if this property has no
       * value defined.
       */
      getAssignmentOperator() {
        return this.assignmentOperator;
      }
      getAssignmentOperatorRange() {
        return this.assignmentOperatorRange;
      }
      /**
       * Returns the value of this property including any enclosing
       * single or double quotes and relevant escape characters.
       * Escaped newlines and its associated contiguous whitespace
       * characters however will not be returned as they are deemed to
       * be uninteresting to clients trying to return a Dockerfile.
       *
       * @return the unescaped value of this property or null if this
       *         property has no associated value
       */
      getUnescapedValue() {
        if (this.valueRange === null) {
          return null;
        }
        let escaped = false;
        let rawValue = "";
        let value = this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
        rawLoop: for (let i2 = 0; i2 < value.length; i2++) {
          let char = value.charAt(i2);
          switch (char) {
            case this.escapeChar:
              for (let j = i2 + 1; j < value.length; j++) {
                switch (value.charAt(j)) {
                  case "\r":
                    j++;
                  case "\n":
                    escaped = true;
                    i2 = j;
                    continue rawLoop;
                  case " ":
                  case "	":
                    break;
                  default:
                    rawValue = rawValue + char;
                    continue rawLoop;
                }
              }
              rawValue = rawValue + char;
              break;
            case "\r":
            case "\n":
              break;
            case " ":
            case "	":
              if (!escaped) {
                rawValue = rawValue + char;
              }
              break;
            case "#":
              if (escaped) {
                for (let j = i2 + 1; j < value.length; j++) {
                  switch (value.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      continue rawLoop;
                  }
                }
              } else {
                rawValue = rawValue + char;
              }
              break;
            default:
              rawValue = rawValue + char;
              escaped = false;
              break;
          }
        }
        return rawValue;
      }
      static getNameRange(document, arg) {
        let value = arg.getValue();
        let index = value.indexOf("=");
        if (index !== -1) {
          let initial = value.charAt(0);
          let before = value.charAt(index - 1);
          if (initial === '"' && before === '"' || initial === "'" && before === "'" || initial !== '"' && initial !== "'") {
            return vscode_languageserver_types_1.Range.create(arg.getRange().start, document.positionAt(document.offsetAt(arg.getRange().start) + index));
          }
        }
        return arg.getRange();
      }
      static getValueRange(document, arg) {
        return vscode_languageserver_types_1.Range.create(document.positionAt(document.offsetAt(arg.getRange().start) + arg.getValue().indexOf("=") + 1), document.positionAt(document.offsetAt(arg.getRange().end)));
      }
      /**
       * Returns the actual value of this key-value pair. The value will
       * have its escape characters removed if applicable. If the value
       * spans multiple lines and there are comments nested within the
       * lines, they too will be removed.
       *
       * @return the value that this key-value pair will actually be, may
       *         be null if no value is defined, may be the empty string
       *         if the value only consists of whitespace
       */
      static getValue(value, escapeChar2) {
        let escaped = false;
        const skip = util_1.Util.findLeadingNonWhitespace(value, escapeChar2);
        if (skip !== 0 && value.charAt(skip) === "#") {
          escaped = true;
        }
        value = value.substring(skip);
        let first = value.charAt(0);
        let last = value.charAt(value.length - 1);
        let literal = first === "'" || first === '"';
        let inSingle = first === "'" && last === "'";
        let inDouble = false;
        if (first === '"') {
          for (let i2 = 1; i2 < value.length; i2++) {
            if (value.charAt(i2) === escapeChar2) {
              i2++;
            } else if (value.charAt(i2) === '"' && i2 === value.length - 1) {
              inDouble = true;
            }
          }
        }
        if (inSingle || inDouble) {
          value = value.substring(1, value.length - 1);
        }
        let commentCheck = -1;
        let escapedValue = "";
        let start = 0;
        parseValue: for (let i2 = 0; i2 < value.length; i2++) {
          let char = value.charAt(i2);
          switch (char) {
            case escapeChar2:
              if (i2 + 1 === value.length) {
                escapedValue = escapedValue + escapeChar2;
                break parseValue;
              }
              char = value.charAt(i2 + 1);
              if (char === " " || char === "	") {
                whitespaceCheck: for (let j = i2 + 2; j < value.length; j++) {
                  let char2 = value.charAt(j);
                  switch (char2) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                      j++;
                    case "\n":
                      escaped = true;
                      i2 = j;
                      continue parseValue;
                    default:
                      if (!inDouble && !inSingle && !literal) {
                        if (char2 === escapeChar2) {
                          escapedValue = escapedValue + char;
                          i2 = i2 + 1;
                        } else {
                          escapedValue = escapedValue + char + char2;
                          i2 = j;
                        }
                        continue parseValue;
                      }
                      break whitespaceCheck;
                  }
                }
              }
              if (inDouble) {
                if (char === "\r") {
                  escaped = true;
                  i2 = i2 + 2;
                } else if (char === "\n") {
                  escaped = true;
                  i2++;
                } else if (char !== '"') {
                  if (char === escapeChar2) {
                    i2++;
                  }
                  escapedValue = escapedValue + escapeChar2;
                }
                continue parseValue;
              } else if (inSingle || literal) {
                if (char === "\r") {
                  escaped = true;
                  i2 = i2 + 2;
                } else if (char === "\n") {
                  escaped = true;
                  i2++;
                } else {
                  escapedValue = escapedValue + escapeChar2;
                }
                continue parseValue;
              } else if (char === escapeChar2) {
                escapedValue = escapedValue + escapeChar2;
                i2++;
              } else if (char === "\r") {
                escaped = true;
                i2 = i2 + 2;
              } else if (char === "\n") {
                escaped = true;
                i2++;
                start = i2;
              } else {
                escapedValue = escapedValue + char;
                i2++;
              }
              break;
            case " ":
            case "	":
              if (escaped && commentCheck === -1) {
                commentCheck = i2;
              }
              escapedValue = escapedValue + char;
              break;
            case "\r":
              i2++;
            case "\n":
              if (escaped && commentCheck !== -1) {
                escapedValue = escapedValue.substring(0, escapedValue.length - (i2 - commentCheck - 1));
                commentCheck = -1;
              }
              break;
            case "#":
              if (escaped) {
                if (commentCheck !== -1) {
                  escapedValue = escapedValue.substring(0, escapedValue.length - (i2 - commentCheck));
                  commentCheck = -1;
                }
                newlineCheck: for (let j = i2 + 1; j < value.length; j++) {
                  switch (value.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      break newlineCheck;
                  }
                }
                continue parseValue;
              }
            default:
              if (escaped) {
                escaped = false;
                commentCheck = -1;
              }
              escapedValue = escapedValue + char;
              break;
          }
        }
        return escapedValue;
      }
    };
    exports.Property = Property;
  }
});

// node_modules/dockerfile-ast/lib/propertyInstruction.js
var require_propertyInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/propertyInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.PropertyInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var instruction_1 = require_instruction();
    var property_1 = require_property();
    var argument_1 = require_argument();
    var util_1 = require_util();
    var PropertyInstruction = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.properties = void 0;
      }
      getProperties() {
        if (this.properties === void 0) {
          let args = this.getPropertyArguments();
          if (args.length === 0) {
            this.properties = [];
          } else if (args.length === 1) {
            this.properties = [new property_1.Property(this.document, this.escapeChar, args[0])];
          } else if (args.length === 2) {
            if (args[0].getValue().indexOf("=") === -1) {
              this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], args[1])];
            } else {
              this.properties = [
                new property_1.Property(this.document, this.escapeChar, args[0]),
                new property_1.Property(this.document, this.escapeChar, args[1])
              ];
            }
          } else if (args[0].getValue().indexOf("=") === -1) {
            let text = this.document.getText();
            let start = args[1].getRange().start;
            let end = args[args.length - 1].getRange().end;
            text = text.substring(this.document.offsetAt(start), this.document.offsetAt(end));
            this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], new argument_1.Argument(text, vscode_languageserver_types_1.Range.create(args[1].getRange().start, args[args.length - 1].getRange().end)))];
          } else {
            this.properties = [];
            for (let i2 = 0; i2 < args.length; i2++) {
              this.properties.push(new property_1.Property(this.document, this.escapeChar, args[i2]));
            }
          }
        }
        return this.properties;
      }
      /**
       * Goes from the back of the string and returns the first
       * non-whitespace character that is found. If an escape character
       * is found with newline characters, the escape character will
       * not be considered a non-whitespace character and its index in
       * the string will not be returned.
       *
       * @param content the string to search through
       * @return the index in the string for the first non-whitespace
       *         character when searching from the end of the string
       */
      findTrailingNonWhitespace(content) {
        let index = content.length;
        whitespaceCheck: for (let i2 = content.length - 1; i2 >= 0; i2--) {
          switch (content.charAt(i2)) {
            case " ":
            case "	":
              continue;
            case "\n":
              if (content.charAt(i2 - 1) === "\r") {
                i2 = i2 - 1;
              }
            case "\r":
              newlineCheck: for (let j = i2 - 1; j >= 0; j--) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                  case "\r":
                  case "\n":
                  case this.escapeChar:
                    continue;
                  default:
                    index = j;
                    break newlineCheck;
                }
              }
              break whitespaceCheck;
            default:
              index = i2;
              break whitespaceCheck;
          }
        }
        return index;
      }
      getPropertyArguments() {
        const args = [];
        let range = this.getInstructionRange();
        let instructionNameEndOffset = this.document.offsetAt(range.end);
        let extra = instructionNameEndOffset - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra);
        let start = util_1.Util.findLeadingNonWhitespace(fullArgs, this.escapeChar);
        if (start === -1) {
          return [];
        }
        const startPosition = this.document.positionAt(instructionNameEndOffset + start);
        let escaped = range.start.line !== startPosition.line;
        let endingEscape = false;
        let mark = -1;
        let end = this.findTrailingNonWhitespace(fullArgs);
        content = fullArgs.substring(start, end + 1);
        let argStart = escaped ? -1 : 0;
        let spaced = false;
        argumentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          let char = content.charAt(i2);
          switch (char) {
            case this.escapeChar:
              if (i2 + 1 === content.length) {
                endingEscape = true;
                break argumentLoop;
              }
              if (!escaped) {
                mark = i2;
              }
              switch (content.charAt(i2 + 1)) {
                case " ":
                case "	":
                  if (!util_1.Util.isWhitespace(content.charAt(i2 + 2))) {
                    i2 = i2 + 1;
                    continue argumentLoop;
                  }
                  whitespaceCheck: for (let j = i2 + 2; j < content.length; j++) {
                    switch (content.charAt(j)) {
                      case "\r":
                        j++;
                      case "\n":
                        escaped = true;
                        i2 = j;
                        continue argumentLoop;
                      case " ":
                      case "	":
                        break;
                      default:
                        args.push(new argument_1.Argument(content.substring(argStart, i2), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i2 + 2))));
                        argStart = j;
                        break whitespaceCheck;
                    }
                  }
                  i2 = argStart - 1;
                  continue argumentLoop;
                case "\r":
                  i2++;
                case "\n":
                  escaped = true;
                  i2 = i2 + 1;
                  continue argumentLoop;
                case this.escapeChar:
                  if (argStart === -1) {
                    argStart = i2;
                  }
                  i2 = i2 + 1;
                  continue argumentLoop;
                default:
                  if (argStart === -1) {
                    argStart = i2;
                  }
                  continue argumentLoop;
              }
            case "'":
            case '"':
              if (spaced) {
                this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
                argStart = i2;
                spaced = false;
              }
              if (argStart === -1) {
                argStart = i2;
              }
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case char:
                    if (content.charAt(j + 1) !== " " && content.charAt(j + 1) !== "") {
                      i2 = j;
                      continue argumentLoop;
                    }
                    args.push(new argument_1.Argument(content.substring(argStart, j + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + j + 1))));
                    i2 = j;
                    argStart = -1;
                    continue argumentLoop;
                  case this.escapeChar:
                    j++;
                    break;
                }
              }
              break argumentLoop;
            case " ":
            case "	":
              if (escaped) {
                if (argStart !== -1) {
                  spaced = true;
                }
              } else if (argStart !== -1) {
                args.push(new argument_1.Argument(content.substring(argStart, i2), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i2))));
                argStart = -1;
              }
              break;
            case "\r":
              i2++;
            case "\n":
              spaced = false;
              break;
            case "#":
              if (escaped) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      spaced = false;
                      continue argumentLoop;
                  }
                }
                if (argStart !== -1) {
                  let value = content.substring(argStart, mark);
                  args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
                  argStart = -1;
                }
                break argumentLoop;
              } else if (argStart === -1) {
                argStart = i2;
              }
              break;
            default:
              if (spaced) {
                this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
                argStart = i2;
                spaced = false;
              }
              escaped = false;
              if (argStart === -1) {
                argStart = i2;
              }
              if (char === "$" && content.charAt(i2 + 1) === "{") {
                let singleQuotes = false;
                let doubleQuotes = false;
                let escaped2 = false;
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case this.escapeChar:
                      escaped2 = true;
                      break;
                    case "\r":
                    case "\n":
                      break;
                    case "'":
                      singleQuotes = !singleQuotes;
                      escaped2 = false;
                      break;
                    case '"':
                      doubleQuotes = !doubleQuotes;
                      escaped2 = false;
                      break;
                    case " ":
                    case "	":
                      if (escaped2 || singleQuotes || doubleQuotes) {
                        break;
                      }
                      i2 = j - 1;
                      continue argumentLoop;
                    case "}":
                      i2 = j;
                      continue argumentLoop;
                    default:
                      escaped2 = false;
                      break;
                  }
                }
                break argumentLoop;
              }
              break;
          }
        }
        if (argStart !== -1 && argStart !== content.length) {
          let end2 = endingEscape ? content.length - 1 : content.length;
          let value = content.substring(argStart, end2);
          args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + end2))));
        }
        return args;
      }
      createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start) {
        if (argStart !== -1) {
          args.push(new argument_1.Argument(content.substring(argStart, mark), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
        }
      }
    };
    exports.PropertyInstruction = PropertyInstruction;
  }
});

// node_modules/dockerfile-ast/lib/instructions/arg.js
var require_arg = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/arg.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Arg = void 0;
    var property_1 = require_property();
    var propertyInstruction_1 = require_propertyInstruction();
    var Arg = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.property = null;
        const args = this.getPropertyArguments();
        if (args.length === 1) {
          this.property = new property_1.Property(this.document, this.escapeChar, args[0]);
        } else {
          this.property = null;
        }
      }
      /**
       * Returns the variable defined by this ARG. This may be null if
       * this ARG instruction is malformed and has no variable
       * declaration.
       */
      getProperty() {
        return this.property;
      }
    };
    exports.Arg = Arg;
  }
});

// node_modules/dockerfile-ast/lib/instructions/cmd.js
var require_cmd = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/cmd.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Cmd = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Cmd = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Cmd = Cmd;
  }
});

// node_modules/dockerfile-ast/lib/instructions/copy.js
var require_copy = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/copy.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Copy = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Copy = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      getFromFlag() {
        let flags = super.getFlags();
        return flags.length === 1 && flags[0].getName() === "from" ? flags[0] : null;
      }
      /**
       * Returns there here-documents that are defined in this RUN
       * instruction.
       *
       * This API is experimental and subject to change.
       */
      getHeredocs() {
        return super.getHeredocs();
      }
    };
    exports.Copy = Copy;
  }
});

// node_modules/dockerfile-ast/lib/instructions/env.js
var require_env = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/env.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Env = void 0;
    var propertyInstruction_1 = require_propertyInstruction();
    var Env = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getProperties() {
        return super.getProperties();
      }
    };
    exports.Env = Env;
  }
});

// node_modules/dockerfile-ast/lib/instructions/entrypoint.js
var require_entrypoint = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/entrypoint.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Entrypoint = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Entrypoint = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Entrypoint = Entrypoint;
  }
});

// node_modules/dockerfile-ast/lib/instructions/from.js
var require_from = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/from.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.From = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var modifiableInstruction_1 = require_modifiableInstruction();
    var From = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      getImage() {
        const args = this.getArguments();
        return args.length > 0 ? args[0].getValue() : null;
      }
      /**
       * Returns the name of the image that will be used as the base image.
       *
       * @return the base image's name, or null if unspecified
       */
      getImageName() {
        const imageName = this.getRangeContent(this.getImageNameRange());
        if (imageName === null) {
          return null;
        }
        let commented = false;
        let escaped = false;
        let name = "";
        for (let i2 = 0; i2 < imageName.length; i2++) {
          const ch = imageName.charAt(i2);
          switch (ch) {
            case this.escapeChar:
              escaped = true;
              break;
            case "\r":
              continue;
            case "\n":
              commented = false;
              break;
            case " ":
            case "	":
              break;
            case "#":
              if (escaped) {
                commented = true;
              } else {
                name = name + ch;
                escaped = false;
              }
              break;
            default:
              if (!commented) {
                name = name + ch;
                escaped = false;
              }
              break;
          }
        }
        return name;
      }
      /**
       * Returns the range that covers the name of the image used by
       * this instruction.
       *
       * @return the range of the name of this instruction's argument,
       *         or null if no image has been specified
       */
      getImageNameRange() {
        let range = this.getImageRange();
        if (range) {
          let registryRange = this.getRegistryRange();
          if (registryRange) {
            range.start = this.document.positionAt(this.document.offsetAt(registryRange.end) + 1);
          }
          let tagRange = this.getImageTagRange();
          let digestRange = this.getImageDigestRange();
          if (tagRange === null) {
            if (digestRange !== null) {
              range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
            }
          } else {
            range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
          }
          return range;
        }
        return null;
      }
      /**
       * Returns the range that covers the image argument of this
       * instruction. This includes the tag or digest of the image if
       * it has been specified by the instruction.
       *
       * @return the range of the image argument, or null if no image
       *         has been specified
       */
      getImageRange() {
        let args = this.getArguments();
        return args.length !== 0 ? args[0].getRange() : null;
      }
      getImageTag() {
        return this.getRangeContent(this.getImageTagRange());
      }
      /**
       * Returns the range in the document that the tag of the base
       * image encompasses.
       *
       * @return the base image's tag's range in the document, or null
       *         if no tag has been specified
       */
      getImageTagRange() {
        const range = this.getImageRange();
        if (range) {
          const rangeStartOffset = this.document.offsetAt(range.start);
          const content = this.getRangeContent(range);
          const atIndex = this.indexOf(rangeStartOffset, content, "@");
          const slashIndex = content.indexOf("/");
          if (atIndex === -1) {
            const colonIndex = this.lastIndexOf(rangeStartOffset, content, ":");
            if (colonIndex > slashIndex) {
              return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + colonIndex + 1), range.end);
            }
          }
          const subcontent = content.substring(0, atIndex);
          const subcolonIndex = subcontent.indexOf(":");
          if (subcolonIndex === -1) {
            return null;
          }
          if (slashIndex === -1) {
            return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + atIndex));
          }
          if (subcolonIndex < slashIndex) {
            return null;
          }
          return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + subcontent.length));
        }
        return null;
      }
      getImageDigest() {
        return this.getRangeContent(this.getImageDigestRange());
      }
      /**
       * Returns the range in the document that the digest of the base
       * image encompasses.
       *
       * @return the base image's digest's range in the document, or null
       *         if no digest has been specified
       */
      getImageDigestRange() {
        let range = this.getImageRange();
        if (range) {
          let content = this.getRangeContent(range);
          let index = this.lastIndexOf(this.document.offsetAt(range.start), content, "@");
          if (index !== -1) {
            return vscode_languageserver_types_1.Range.create(range.start.line, range.start.character + index + 1, range.end.line, range.end.character);
          }
        }
        return null;
      }
      indexOf(documentOffset, content, searchString) {
        let index = content.indexOf(searchString);
        const variables = this.getVariables();
        for (let i2 = 0; i2 < variables.length; i2++) {
          const position = documentOffset + index;
          const variableRange = variables[i2].getRange();
          if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
            const offset = this.document.offsetAt(variableRange.end) - documentOffset;
            const substring = content.substring(offset);
            const subIndex = substring.indexOf(searchString);
            if (subIndex === -1) {
              return -1;
            }
            index = subIndex + offset;
            i2 = -1;
            continue;
          }
        }
        return index;
      }
      lastIndexOf(documentOffset, content, searchString) {
        let index = content.lastIndexOf(searchString);
        const variables = this.getVariables();
        for (let i2 = 0; i2 < variables.length; i2++) {
          const position = documentOffset + index;
          const variableRange = variables[i2].getRange();
          if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
            index = content.substring(0, index).lastIndexOf(searchString);
            if (index === -1) {
              return -1;
            }
            i2 = -1;
            continue;
          }
        }
        return index;
      }
      getRegistry() {
        return this.getRangeContent(this.getRegistryRange());
      }
      getRegistryRange() {
        const range = this.getImageRange();
        if (range) {
          const tagRange = this.getImageTagRange();
          const digestRange = this.getImageDigestRange();
          if (tagRange === null) {
            if (digestRange !== null) {
              range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
            }
          } else {
            range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
          }
          const content = this.getRangeContent(range);
          const rangeStart = this.document.offsetAt(range.start);
          const startingSlashIndex = this.indexOf(rangeStart, content, "/");
          if (startingSlashIndex === -1) {
            return null;
          }
          const portIndex = this.indexOf(rangeStart, content, ":");
          const dotIndex = this.indexOf(rangeStart, content, ".");
          if (portIndex !== -1 || dotIndex !== -1) {
            return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
          }
          const registry = content.substring(0, startingSlashIndex);
          if (registry === "localhost") {
            return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
          }
        }
        return null;
      }
      getBuildStage() {
        let range = this.getBuildStageRange();
        return range === null ? null : this.getRangeContent(range);
      }
      getBuildStageRange() {
        let args = this.getArguments();
        if (args.length > 2 && args[1].getValue().toUpperCase() === "AS") {
          return args[2].getRange();
        }
        return null;
      }
      getPlatformFlag() {
        let flags = super.getFlags();
        return flags.length === 1 && flags[0].getName() === "platform" ? flags[0] : null;
      }
    };
    exports.From = From;
  }
});

// node_modules/dockerfile-ast/lib/instructions/healthcheck.js
var require_healthcheck = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/healthcheck.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Healthcheck = void 0;
    var modifiableInstruction_1 = require_modifiableInstruction();
    var Healthcheck = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        argument = argument.toUpperCase();
        return argument === "CMD" || argument === "NONE";
      }
      getSubcommand() {
        let args = this.getArguments();
        return args.length !== 0 ? args[0] : null;
      }
    };
    exports.Healthcheck = Healthcheck;
  }
});

// node_modules/dockerfile-ast/lib/instructions/label.js
var require_label = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/label.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Label = void 0;
    var propertyInstruction_1 = require_propertyInstruction();
    var util_1 = require_util();
    var Label = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getVariables() {
        const variables = super.getVariables();
        const properties = this.getProperties();
        for (const property of properties) {
          const value = property.getUnescapedValue();
          if (value !== null && value.length > 2 && value.charAt(0) === "'" && value.charAt(value.length - 1) === "'") {
            const range = property.getValueRange();
            for (let i2 = 0; i2 < variables.length; i2++) {
              if (util_1.Util.isInsideRange(variables[i2].getRange().start, range)) {
                variables.splice(i2, 1);
                i2--;
              }
            }
          }
        }
        return variables;
      }
      getProperties() {
        return super.getProperties();
      }
    };
    exports.Label = Label;
  }
});

// node_modules/dockerfile-ast/lib/instructions/onbuild.js
var require_onbuild = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/onbuild.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Onbuild = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var parser_1 = require_parser();
    var instruction_1 = require_instruction();
    var Onbuild = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getTrigger() {
        let trigger = this.getTriggerWord();
        return trigger === null ? null : trigger.toUpperCase();
      }
      getTriggerWord() {
        return this.getRangeContent(this.getTriggerRange());
      }
      getTriggerRange() {
        let args = this.getArguments();
        return args.length > 0 ? args[0].getRange() : null;
      }
      getTriggerInstruction() {
        let triggerRange = this.getTriggerRange();
        if (triggerRange === null) {
          return null;
        }
        let args = this.getArguments();
        return parser_1.Parser.createInstruction(this.document, this.dockerfile, this.escapeChar, vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end), this.getTriggerWord(), triggerRange);
      }
    };
    exports.Onbuild = Onbuild;
  }
});

// node_modules/dockerfile-ast/lib/instructions/run.js
var require_run = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/run.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Run = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Run = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      /**
       * Returns there here-documents that are defined in this RUN
       * instruction.
       *
       * This API is experimental and subject to change.
       */
      getHeredocs() {
        return super.getHeredocs();
      }
    };
    exports.Run = Run;
  }
});

// node_modules/dockerfile-ast/lib/instructions/shell.js
var require_shell = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/shell.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Shell = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Shell = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Shell = Shell;
  }
});

// node_modules/dockerfile-ast/lib/instructions/stopsignal.js
var require_stopsignal = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/stopsignal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Stopsignal = void 0;
    var instruction_1 = require_instruction();
    var Stopsignal = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Stopsignal = Stopsignal;
  }
});

// node_modules/dockerfile-ast/lib/instructions/workdir.js
var require_workdir = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/workdir.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Workdir = void 0;
    var instruction_1 = require_instruction();
    var Workdir = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      /**
       * Returns the path that has been defined. Note that this path may
       * be absolute or relative depending on what was written in the
       * instruction.
       *
       * @return the working directory's path, or null if this
       *         instruction has no arguments
       */
      getPath() {
        return this.getArgumentsContent();
      }
      /**
       * Returns the absolute path that this instruction resolves to. The
       * function will inspect prior WORKDIR instructions in the current
       * image or another build stage in the Dockerfile to try to
       * determine this.
       *
       * @return the absolute path of the working directory, or null if
       *         this instruction has no arguments, or undefined if it
       *         cannot be determined because only relative paths could be
       *         found
       */
      getAbsolutePath() {
        const path = this.getPath();
        if (path === null || path.startsWith("/")) {
          return path;
        }
        const startLine = this.getRange().start.line;
        const hierarchy = this.dockerfile.getStageHierarchy(startLine);
        for (let i2 = hierarchy.length - 1; i2 >= 0; i2--) {
          const workdirs = hierarchy[i2].getWORKDIRs();
          for (let j = workdirs.length - 1; j >= 0; j--) {
            if (workdirs[j].getRange().start.line < startLine) {
              const parent = workdirs[j].getAbsolutePath();
              if (parent === void 0 || parent === null) {
                return void 0;
              }
              return parent.endsWith("/") ? parent + path : parent + "/" + path;
            }
          }
        }
        return void 0;
      }
    };
    exports.Workdir = Workdir;
  }
});

// node_modules/dockerfile-ast/lib/instructions/user.js
var require_user = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/user.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.User = void 0;
    var instruction_1 = require_instruction();
    var User = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.User = User;
  }
});

// node_modules/dockerfile-ast/lib/instructions/volume.js
var require_volume = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/volume.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Volume = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Volume = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Volume = Volume;
  }
});

// node_modules/dockerfile-ast/lib/imageTemplate.js
var require_imageTemplate = __commonJS({
  "node_modules/dockerfile-ast/lib/imageTemplate.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ImageTemplate = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var arg_1 = require_arg();
    var cmd_1 = require_cmd();
    var copy_1 = require_copy();
    var env_1 = require_env();
    var entrypoint_1 = require_entrypoint();
    var from_1 = require_from();
    var healthcheck_1 = require_healthcheck();
    var onbuild_1 = require_onbuild();
    var util_1 = require_util();
    var workdir_1 = require_workdir();
    var ImageTemplate = class {
      constructor() {
        this.comments = [];
        this.instructions = [];
      }
      addComment(comment) {
        this.comments.push(comment);
      }
      getComments() {
        return this.comments;
      }
      addInstruction(instruction) {
        this.instructions.push(instruction);
      }
      getInstructions() {
        return this.instructions;
      }
      getInstructionAt(line) {
        for (let instruction of this.instructions) {
          if (util_1.Util.isInsideRange(vscode_languageserver_types_1.Position.create(line, 0), instruction.getRange())) {
            return instruction;
          }
        }
        return null;
      }
      /**
       * Gets all the ARG instructions that are defined in this image.
       */
      getARGs() {
        let args = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof arg_1.Arg) {
            args.push(instruction);
          }
        }
        return args;
      }
      /**
       * Gets all the CMD instructions that are defined in this image.
       */
      getCMDs() {
        let cmds = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof cmd_1.Cmd) {
            cmds.push(instruction);
          }
        }
        return cmds;
      }
      /**
       * Gets all the COPY instructions that are defined in this image.
       */
      getCOPYs() {
        let copies = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof copy_1.Copy) {
            copies.push(instruction);
          }
        }
        return copies;
      }
      /**
       * Gets all the ENTRYPOINT instructions that are defined in this image.
       */
      getENTRYPOINTs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof entrypoint_1.Entrypoint) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      /**
       * Gets all the ENV instructions that are defined in this image.
       */
      getENVs() {
        let args = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof env_1.Env) {
            args.push(instruction);
          }
        }
        return args;
      }
      getFROM() {
        for (const instruction of this.instructions) {
          if (instruction instanceof from_1.From) {
            return instruction;
          }
        }
        return null;
      }
      /**
       * Gets all the FROM instructions that are defined in this image.
       */
      getFROMs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof from_1.From) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      /**
       * Gets all the HEALTHCHECK instructions that are defined in this image.
       */
      getHEALTHCHECKs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof healthcheck_1.Healthcheck) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      getWORKDIRs() {
        const workdirs = [];
        for (const instruction of this.instructions) {
          if (instruction instanceof workdir_1.Workdir) {
            workdirs.push(instruction);
          }
        }
        return workdirs;
      }
      getOnbuildTriggers() {
        let triggers = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof onbuild_1.Onbuild) {
            let trigger = instruction.getTriggerInstruction();
            if (trigger) {
              triggers.push(trigger);
            }
          }
        }
        return triggers;
      }
      getAvailableVariables(currentLine) {
        const variables = [];
        for (const arg of this.getARGs()) {
          if (arg.isBefore(currentLine)) {
            const property = arg.getProperty();
            if (property) {
              const variable = property.getName();
              if (variables.indexOf(variable) === -1) {
                variables.push(variable);
              }
            }
          }
        }
        for (const env of this.getENVs()) {
          if (env.isBefore(currentLine)) {
            for (const property of env.getProperties()) {
              const variable = property.getName();
              if (variables.indexOf(variable) === -1) {
                variables.push(variable);
              }
            }
          }
        }
        return variables;
      }
      /**
       * Resolves a variable with the given name at the specified line
       * to its value. If null is returned, then the variable has been
       * defined but no value was given. If undefined is returned, then
       * a variable with the given name has not been defined yet as of
       * the given line.
       *
       * @param variable the name of the variable to resolve
       * @param line the line number that the variable is on, zero-based
       * @return the value of the variable as defined by an ARG or ENV
       *         instruction, or null if no value has been specified, or
       *         undefined if a variable with the given name has not
       *         been defined
       */
      resolveVariable(variable, line) {
        let envs = this.getENVs();
        for (let i2 = envs.length - 1; i2 >= 0; i2--) {
          if (envs[i2].isBefore(line)) {
            for (let property of envs[i2].getProperties()) {
              if (property.getName() === variable) {
                return property.getValue();
              }
            }
          }
        }
        let args = this.getARGs();
        for (let i2 = args.length - 1; i2 >= 0; i2--) {
          if (args[i2].isBefore(line)) {
            let property = args[i2].getProperty();
            if (property && property.getName() === variable) {
              return property.getValue();
            }
          }
        }
        return void 0;
      }
      getRange() {
        const instructions = this.getInstructions();
        if (instructions.length === 0) {
          return vscode_languageserver_types_1.Range.create(0, 0, 0, 0);
        }
        const instructionStart = instructions[0].getRange().start;
        const instructionEnd2 = instructions[instructions.length - 1].getRange().end;
        return vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd2);
      }
      contains(position) {
        const range = this.getRange();
        if (range === null) {
          return false;
        }
        return util_1.Util.isInsideRange(position, range);
      }
    };
    exports.ImageTemplate = ImageTemplate;
  }
});

// node_modules/dockerfile-ast/lib/dockerfile.js
var require_dockerfile = __commonJS({
  "node_modules/dockerfile-ast/lib/dockerfile.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Dockerfile = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var ast = require_main();
    var imageTemplate_1 = require_imageTemplate();
    var from_1 = require_from();
    var util_1 = require_util();
    var main_1 = require_main();
    var Dockerfile = class extends imageTemplate_1.ImageTemplate {
      constructor(document) {
        super();
        this.initialInstructions = new imageTemplate_1.ImageTemplate();
        this.buildStages = [];
        this.directives = [];
        this.foundFrom = false;
        this.document = document;
      }
      getEscapeCharacter() {
        for (const directive of this.directives) {
          if (directive.getDirective() === ast.Directive.escape) {
            const value = directive.getValue();
            if (value === "\\" || value === "`") {
              return value;
            }
          }
        }
        return "\\";
      }
      getInitialARGs() {
        return this.initialInstructions.getARGs();
      }
      getContainingImage(position) {
        let range = vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(0, 0), this.document.positionAt(this.document.getText().length));
        if (!util_1.Util.isInsideRange(position, range)) {
          return null;
        }
        if (this.initialInstructions.getComments().length > 0 || this.initialInstructions.getInstructions().length > 0) {
          if (util_1.Util.isInsideRange(position, this.initialInstructions.getRange())) {
            return this.initialInstructions;
          }
        }
        for (const buildStage of this.buildStages) {
          if (util_1.Util.isInsideRange(position, buildStage.getRange())) {
            return buildStage;
          }
        }
        return this;
      }
      addInstruction(instruction) {
        if (instruction.getKeyword() === main_1.Keyword.FROM) {
          this.currentBuildStage = new imageTemplate_1.ImageTemplate();
          this.buildStages.push(this.currentBuildStage);
          this.foundFrom = true;
        } else if (!this.foundFrom) {
          this.initialInstructions.addInstruction(instruction);
        }
        if (this.foundFrom) {
          this.currentBuildStage.addInstruction(instruction);
        }
        super.addInstruction(instruction);
      }
      setDirectives(directives) {
        this.directives = directives;
      }
      getDirective() {
        return this.directives.length === 0 ? null : this.directives[0];
      }
      getDirectives() {
        return this.directives;
      }
      resolveVariable(variable, line) {
        for (let from of this.getFROMs()) {
          let range = from.getRange();
          if (range.start.line <= line && line <= range.end.line) {
            let initialARGs = new imageTemplate_1.ImageTemplate();
            for (let instruction of this.initialInstructions.getARGs()) {
              initialARGs.addInstruction(instruction);
            }
            return initialARGs.resolveVariable(variable, line);
          }
        }
        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        if (image === null) {
          return void 0;
        }
        let resolvedVariable = image.resolveVariable(variable, line);
        if (resolvedVariable === null) {
          let initialARGs = new imageTemplate_1.ImageTemplate();
          for (let instruction of this.initialInstructions.getARGs()) {
            initialARGs.addInstruction(instruction);
          }
          return initialARGs.resolveVariable(variable, line);
        }
        return resolvedVariable;
      }
      getAvailableVariables(currentLine) {
        if (this.getInstructionAt(currentLine) instanceof from_1.From) {
          let variables = [];
          for (let arg of this.getInitialARGs()) {
            let property = arg.getProperty();
            if (property) {
              variables.push(property.getName());
            }
          }
          return variables;
        }
        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(currentLine, 0));
        return image ? image.getAvailableVariables(currentLine) : [];
      }
      getParentStage(image) {
        const templateFrom = image.getFROM();
        const imageName = templateFrom === null ? null : templateFrom.getImageName();
        if (imageName === null) {
          return null;
        }
        for (const from of this.getFROMs()) {
          if (from.getBuildStage() === imageName) {
            const range = from.getRange();
            if (range.start.line === templateFrom.getRange().start.line) {
              return null;
            }
            return this.getContainingImage(range.start);
          }
        }
        return null;
      }
      getStageHierarchy(line) {
        const image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        if (image === null) {
          return [];
        }
        const stages = [image];
        let stage = this.getParentStage(image);
        while (stage !== null) {
          stages.splice(0, 0, stage);
          stage = this.getParentStage(stage);
        }
        return stages;
      }
      getAvailableWorkingDirectories(line) {
        const availableDirectories = /* @__PURE__ */ new Set();
        for (const image of this.getStageHierarchy(line)) {
          for (const workdir of image.getWORKDIRs()) {
            if (workdir.getRange().end.line < line) {
              let directory = workdir.getAbsolutePath();
              if (directory !== void 0 && directory !== null) {
                if (!directory.endsWith("/")) {
                  directory += "/";
                }
                availableDirectories.add(directory);
              }
            }
          }
        }
        return Array.from(availableDirectories);
      }
      /**
       * Internally reorganize the comments in the Dockerfile and allocate
       * them to the relevant build stages that they belong to.
       */
      organizeComments() {
        const comments = this.getComments();
        for (let i2 = 0; i2 < comments.length; i2++) {
          if (util_1.Util.isInsideRange(comments[i2].getRange().end, this.initialInstructions.getRange())) {
            this.initialInstructions.addComment(comments[i2]);
          } else {
            for (const buildStage of this.buildStages) {
              if (util_1.Util.isInsideRange(comments[i2].getRange().start, buildStage.getRange())) {
                buildStage.addComment(comments[i2]);
              }
            }
          }
        }
      }
      getRange() {
        const comments = this.getComments();
        const instructions = this.getInstructions();
        let range = null;
        if (comments.length === 0) {
          if (instructions.length > 0) {
            range = vscode_languageserver_types_1.Range.create(instructions[0].getRange().start, instructions[instructions.length - 1].getRange().end);
          }
        } else if (instructions.length === 0) {
          range = vscode_languageserver_types_1.Range.create(comments[0].getRange().start, comments[comments.length - 1].getRange().end);
        } else {
          const commentStart = comments[0].getRange().start;
          const commentEnd = comments[comments.length - 1].getRange().end;
          const instructionStart = instructions[0].getRange().start;
          const instructionEnd2 = instructions[instructions.length - 1].getRange().end;
          if (commentStart.line < instructionStart.line) {
            if (commentEnd.line < instructionEnd2.line) {
              range = vscode_languageserver_types_1.Range.create(commentStart, instructionEnd2);
            }
            range = vscode_languageserver_types_1.Range.create(commentStart, commentEnd);
          } else if (commentEnd.line < instructionEnd2.line) {
            range = vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd2);
          } else {
            range = vscode_languageserver_types_1.Range.create(instructionStart, commentEnd);
          }
        }
        if (range === null) {
          if (this.directives.length === 0) {
            return null;
          }
          return this.directives[0].getRange();
        } else if (this.directives.length === 0) {
          return range;
        }
        return vscode_languageserver_types_1.Range.create(this.directives[0].getRange().start, range.end);
      }
    };
    exports.Dockerfile = Dockerfile;
  }
});

// node_modules/dockerfile-ast/lib/parser.js
var require_parser = __commonJS({
  "node_modules/dockerfile-ast/lib/parser.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Parser = void 0;
    var vscode_languageserver_textdocument_1 = (init_main2(), __toCommonJS(main_exports2));
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var comment_1 = require_comment();
    var parserDirective_1 = require_parserDirective();
    var instruction_1 = require_instruction();
    var add_1 = require_add();
    var arg_1 = require_arg();
    var cmd_1 = require_cmd();
    var copy_1 = require_copy();
    var env_1 = require_env();
    var entrypoint_1 = require_entrypoint();
    var from_1 = require_from();
    var healthcheck_1 = require_healthcheck();
    var label_1 = require_label();
    var onbuild_1 = require_onbuild();
    var run_1 = require_run();
    var shell_1 = require_shell();
    var stopsignal_1 = require_stopsignal();
    var workdir_1 = require_workdir();
    var user_1 = require_user();
    var volume_1 = require_volume();
    var dockerfile_1 = require_dockerfile();
    var util_1 = require_util();
    var main_1 = require_main();
    var Parser = class _Parser {
      constructor() {
        this.escapeChar = null;
      }
      static createInstruction(document, dockerfile, escapeChar2, lineRange, instruction, instructionRange) {
        switch (instruction.toUpperCase()) {
          case "ADD":
            return new add_1.Add(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ARG":
            return new arg_1.Arg(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "CMD":
            return new cmd_1.Cmd(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "COPY":
            return new copy_1.Copy(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ENTRYPOINT":
            return new entrypoint_1.Entrypoint(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ENV":
            return new env_1.Env(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "FROM":
            return new from_1.From(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "HEALTHCHECK":
            return new healthcheck_1.Healthcheck(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "LABEL":
            return new label_1.Label(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ONBUILD":
            return new onbuild_1.Onbuild(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "RUN":
            return new run_1.Run(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "SHELL":
            return new shell_1.Shell(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "STOPSIGNAL":
            return new stopsignal_1.Stopsignal(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "WORKDIR":
            return new workdir_1.Workdir(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "USER":
            return new user_1.User(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "VOLUME":
            return new volume_1.Volume(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
        }
        return new instruction_1.Instruction(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getParserDirectives(document, buffer) {
        const directives = [];
        this.escapeChar = "";
        const offset = util_1.Util.isUTF8BOM(buffer.substring(0, 1)) ? 1 : 0;
        directiveCheck: for (let i2 = offset; i2 < buffer.length; i2++) {
          switch (buffer.charAt(i2)) {
            case " ":
            case "	":
              break;
            case "\r":
            case "\n":
              break directiveCheck;
            case "#":
              let directiveStart = -1;
              let directiveEnd = -1;
              for (let j = i2 + 1; j < buffer.length; j++) {
                let char = buffer.charAt(j);
                switch (char) {
                  case " ":
                  case "	":
                    if (directiveStart !== -1 && directiveEnd === -1) {
                      directiveEnd = j;
                    }
                    break;
                  case "\r":
                  case "\n":
                    break directiveCheck;
                  case "=":
                    let valueStart = -1;
                    let valueEnd = -1;
                    if (directiveEnd === -1) {
                      directiveEnd = j;
                    }
                    let lineEnd = buffer.length;
                    directiveValue: for (let k = j + 1; k < buffer.length; k++) {
                      char = buffer.charAt(k);
                      switch (char) {
                        case "\r":
                        case "\n":
                          if (valueStart !== -1 && valueEnd === -1) {
                            valueEnd = k;
                          }
                          lineEnd = k;
                          break directiveValue;
                        case "	":
                        case " ":
                          if (valueStart !== -1 && valueEnd === -1) {
                            valueEnd = k;
                          }
                          continue;
                        default:
                          if (valueStart === -1) {
                            valueStart = k;
                          }
                          break;
                      }
                    }
                    if (directiveStart === -1) {
                      break directiveCheck;
                    }
                    if (valueStart === -1) {
                      valueStart = j + 1;
                      valueEnd = lineEnd;
                    } else if (valueEnd === -1) {
                      valueEnd = buffer.length;
                    }
                    const lineRange = vscode_languageserver_types_1.Range.create(document.positionAt(i2), document.positionAt(lineEnd));
                    const nameRange = vscode_languageserver_types_1.Range.create(document.positionAt(directiveStart), document.positionAt(directiveEnd));
                    const valueRange = vscode_languageserver_types_1.Range.create(document.positionAt(valueStart), document.positionAt(valueEnd));
                    directives.push(new parserDirective_1.ParserDirective(document, lineRange, nameRange, valueRange));
                    directiveStart = -1;
                    if (buffer.charAt(valueEnd) === "\r") {
                      i2 = valueEnd + 1;
                    } else {
                      i2 = valueEnd;
                    }
                    continue directiveCheck;
                  default:
                    if (directiveStart === -1) {
                      directiveStart = j;
                    }
                    break;
                }
              }
              break;
            default:
              break directiveCheck;
          }
        }
        return directives;
      }
      parse(buffer) {
        this.document = vscode_languageserver_textdocument_1.TextDocument.create("", "", 0, buffer);
        this.buffer = buffer;
        let dockerfile = new dockerfile_1.Dockerfile(this.document);
        let directives = this.getParserDirectives(this.document, this.buffer);
        let offset = 0;
        this.escapeChar = "\\";
        if (directives.length > 0) {
          dockerfile.setDirectives(directives);
          this.escapeChar = dockerfile.getEscapeCharacter();
          offset = this.document.offsetAt(vscode_languageserver_types_1.Position.create(directives.length, 0));
        } else if (util_1.Util.isUTF8BOM(buffer.substring(0, 1))) {
          offset = 1;
        }
        for (let i2 = offset; i2 < this.buffer.length; i2++) {
          const char = this.buffer.charAt(i2);
          switch (char) {
            case " ":
            case "	":
            case "\r":
            case "\n":
              break;
            case "#":
              i2 = this.processComment(dockerfile, i2);
              break;
            default:
              i2 = this.processInstruction(dockerfile, char, i2);
              break;
          }
        }
        dockerfile.organizeComments();
        return dockerfile;
      }
      processInstruction(dockerfile, char, start) {
        let instruction = char;
        let instructionEnd2 = -1;
        let escapedInstruction = false;
        instructionCheck: for (let i2 = start + 1; i2 < this.buffer.length; i2++) {
          char = this.buffer.charAt(i2);
          switch (char) {
            case this.escapeChar:
              escapedInstruction = true;
              char = this.buffer.charAt(i2 + 1);
              if (char === "\r" || char === "\n") {
                if (instructionEnd2 === -1) {
                  instructionEnd2 = i2;
                }
                i2++;
              } else if (char === " " || char === "	") {
                for (let j = i2 + 2; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      i2 = j;
                      continue instructionCheck;
                    default:
                      instructionEnd2 = i2 + 1;
                      instruction = instruction + this.escapeChar;
                      i2 = j - 2;
                      continue instructionCheck;
                  }
                }
                instructionEnd2 = i2 + 1;
                instruction = instruction + this.escapeChar;
                break instructionCheck;
              } else {
                instructionEnd2 = i2 + 1;
                instruction = instruction + this.escapeChar;
                escapedInstruction = false;
              }
              break;
            case " ":
            case "	":
              if (escapedInstruction) {
                escapeCheck: for (let j = i2 + 1; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      i2 = j;
                      continue instructionCheck;
                    default:
                      break escapeCheck;
                  }
                }
                escapedInstruction = false;
              }
              if (instructionEnd2 === -1) {
                instructionEnd2 = i2;
              }
              i2 = this.processArguments(dockerfile, instruction, instructionEnd2, start, i2);
              dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd2, i2));
              return i2;
            case "\r":
            case "\n":
              if (escapedInstruction) {
                continue;
              }
              if (instructionEnd2 === -1) {
                instructionEnd2 = i2;
              }
              dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, i2, i2));
              return i2;
            case "#":
              if (escapedInstruction) {
                continue;
              }
            default:
              instructionEnd2 = i2 + 1;
              instruction = instruction + char;
              escapedInstruction = false;
              break;
          }
        }
        if (instructionEnd2 === -1) {
          instructionEnd2 = this.buffer.length;
        }
        dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd2, this.buffer.length));
        return this.buffer.length;
      }
      processHeredocs(instruction, offset) {
        let keyword = instruction.getKeyword();
        if (keyword === main_1.Keyword.ONBUILD) {
          instruction = instruction.getTriggerInstruction();
          if (instruction === null) {
            return offset;
          }
          keyword = instruction.getKeyword();
        }
        if (keyword !== main_1.Keyword.ADD && keyword !== main_1.Keyword.COPY && keyword !== main_1.Keyword.RUN) {
          return offset;
        }
        const heredocs = [];
        let tabbed = false;
        for (const arg of instruction.getArguments()) {
          const value = arg.getValue();
          if (value.startsWith("<<") && value.length > 2) {
            if (value.startsWith("<<-")) {
              tabbed = true;
            }
            const name = util_1.Util.parseHeredocName(value);
            if (name !== null) {
              heredocs.push(name);
            }
          }
        }
        if (heredocs.length > 0) {
          for (const heredoc of heredocs) {
            offset = this.parseHeredoc(heredoc, offset, tabbed);
          }
        }
        return offset;
      }
      processArguments(dockerfile, instruction, instructionEnd2, start, offset) {
        let escaped = false;
        argumentsCheck: for (let i2 = offset + 1; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case "\r":
            case "\n":
              if (escaped) {
                continue;
              }
              return this.processHeredocs(this.createInstruction(dockerfile, instruction, start, instructionEnd2, i2), i2);
            case this.escapeChar:
              const next = this.buffer.charAt(i2 + 1);
              if (next === "\n" || next === "\r") {
                escaped = true;
                i2++;
              } else if (next === " " || next === "	") {
                for (let j = i2 + 2; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      escaped = true;
                    default:
                      i2 = j;
                      continue argumentsCheck;
                  }
                }
                return this.buffer.length;
              }
              continue;
            case "#":
              if (escaped) {
                i2 = this.processComment(dockerfile, i2);
                continue argumentsCheck;
              }
              break;
            case " ":
            case "	":
              break;
            default:
              if (escaped) {
                escaped = false;
              }
              break;
          }
        }
        return this.buffer.length;
      }
      processComment(dockerfile, start) {
        let end = this.buffer.length;
        commentLoop: for (let i2 = start + 1; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case "\r":
            case "\n":
              end = i2;
              break commentLoop;
          }
        }
        const range = vscode_languageserver_types_1.Range.create(this.document.positionAt(start), this.document.positionAt(end));
        dockerfile.addComment(new comment_1.Comment(this.document, range));
        return end;
      }
      parseHeredoc(heredocName, offset, tabbed) {
        let startWord = -1;
        let lineStart = true;
        for (let i2 = offset; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case " ":
              lineStart = false;
              break;
            case "	":
              if (!tabbed) {
                lineStart = false;
              }
              break;
            case "\r":
            case "\n":
              if (startWord !== -1 && heredocName === this.buffer.substring(startWord, i2)) {
                return i2;
              }
              startWord = -1;
              lineStart = true;
              break;
            default:
              if (lineStart) {
                startWord = i2;
                lineStart = false;
              }
              break;
          }
        }
        return this.buffer.length;
      }
      createInstruction(dockerfile, instruction, start, instructionEnd2, end) {
        const startPosition = this.document.positionAt(start);
        const instructionRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(instructionEnd2));
        const lineRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(end));
        return _Parser.createInstruction(this.document, dockerfile, this.escapeChar, lineRange, instruction, instructionRange);
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/dockerfile-ast/lib/main.js
var require_main = __commonJS({
  "node_modules/dockerfile-ast/lib/main.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DockerfileParser = exports.DefaultVariables = exports.Directive = exports.Keyword = exports.Workdir = exports.Volume = exports.User = exports.Stopsignal = exports.Shell = exports.Run = exports.PropertyInstruction = exports.Onbuild = exports.ModifiableInstruction = exports.Label = exports.JSONInstruction = exports.Heredoc = exports.Healthcheck = exports.From = exports.Env = exports.Entrypoint = exports.Copy = exports.Cmd = exports.Arg = exports.Add = exports.Variable = exports.Property = exports.ParserDirective = exports.Line = exports.Instruction = exports.Flag = exports.Comment = exports.JSONArgument = exports.Argument = void 0;
    var argument_1 = require_argument();
    Object.defineProperty(exports, "Argument", { enumerable: true, get: function() {
      return argument_1.Argument;
    } });
    var jsonArgument_1 = require_jsonArgument();
    Object.defineProperty(exports, "JSONArgument", { enumerable: true, get: function() {
      return jsonArgument_1.JSONArgument;
    } });
    var comment_1 = require_comment();
    Object.defineProperty(exports, "Comment", { enumerable: true, get: function() {
      return comment_1.Comment;
    } });
    var parser_1 = require_parser();
    var flag_1 = require_flag();
    Object.defineProperty(exports, "Flag", { enumerable: true, get: function() {
      return flag_1.Flag;
    } });
    var instruction_1 = require_instruction();
    Object.defineProperty(exports, "Instruction", { enumerable: true, get: function() {
      return instruction_1.Instruction;
    } });
    var line_1 = require_line();
    Object.defineProperty(exports, "Line", { enumerable: true, get: function() {
      return line_1.Line;
    } });
    var parserDirective_1 = require_parserDirective();
    Object.defineProperty(exports, "ParserDirective", { enumerable: true, get: function() {
      return parserDirective_1.ParserDirective;
    } });
    var property_1 = require_property();
    Object.defineProperty(exports, "Property", { enumerable: true, get: function() {
      return property_1.Property;
    } });
    var variable_1 = require_variable();
    Object.defineProperty(exports, "Variable", { enumerable: true, get: function() {
      return variable_1.Variable;
    } });
    var add_1 = require_add();
    Object.defineProperty(exports, "Add", { enumerable: true, get: function() {
      return add_1.Add;
    } });
    var arg_1 = require_arg();
    Object.defineProperty(exports, "Arg", { enumerable: true, get: function() {
      return arg_1.Arg;
    } });
    var cmd_1 = require_cmd();
    Object.defineProperty(exports, "Cmd", { enumerable: true, get: function() {
      return cmd_1.Cmd;
    } });
    var copy_1 = require_copy();
    Object.defineProperty(exports, "Copy", { enumerable: true, get: function() {
      return copy_1.Copy;
    } });
    var entrypoint_1 = require_entrypoint();
    Object.defineProperty(exports, "Entrypoint", { enumerable: true, get: function() {
      return entrypoint_1.Entrypoint;
    } });
    var env_1 = require_env();
    Object.defineProperty(exports, "Env", { enumerable: true, get: function() {
      return env_1.Env;
    } });
    var from_1 = require_from();
    Object.defineProperty(exports, "From", { enumerable: true, get: function() {
      return from_1.From;
    } });
    var healthcheck_1 = require_healthcheck();
    Object.defineProperty(exports, "Healthcheck", { enumerable: true, get: function() {
      return healthcheck_1.Healthcheck;
    } });
    var heredoc_1 = require_heredoc();
    Object.defineProperty(exports, "Heredoc", { enumerable: true, get: function() {
      return heredoc_1.Heredoc;
    } });
    var jsonInstruction_1 = require_jsonInstruction();
    Object.defineProperty(exports, "JSONInstruction", { enumerable: true, get: function() {
      return jsonInstruction_1.JSONInstruction;
    } });
    var label_1 = require_label();
    Object.defineProperty(exports, "Label", { enumerable: true, get: function() {
      return label_1.Label;
    } });
    var modifiableInstruction_1 = require_modifiableInstruction();
    Object.defineProperty(exports, "ModifiableInstruction", { enumerable: true, get: function() {
      return modifiableInstruction_1.ModifiableInstruction;
    } });
    var onbuild_1 = require_onbuild();
    Object.defineProperty(exports, "Onbuild", { enumerable: true, get: function() {
      return onbuild_1.Onbuild;
    } });
    var propertyInstruction_1 = require_propertyInstruction();
    Object.defineProperty(exports, "PropertyInstruction", { enumerable: true, get: function() {
      return propertyInstruction_1.PropertyInstruction;
    } });
    var run_1 = require_run();
    Object.defineProperty(exports, "Run", { enumerable: true, get: function() {
      return run_1.Run;
    } });
    var shell_1 = require_shell();
    Object.defineProperty(exports, "Shell", { enumerable: true, get: function() {
      return shell_1.Shell;
    } });
    var stopsignal_1 = require_stopsignal();
    Object.defineProperty(exports, "Stopsignal", { enumerable: true, get: function() {
      return stopsignal_1.Stopsignal;
    } });
    var user_1 = require_user();
    Object.defineProperty(exports, "User", { enumerable: true, get: function() {
      return user_1.User;
    } });
    var volume_1 = require_volume();
    Object.defineProperty(exports, "Volume", { enumerable: true, get: function() {
      return volume_1.Volume;
    } });
    var workdir_1 = require_workdir();
    Object.defineProperty(exports, "Workdir", { enumerable: true, get: function() {
      return workdir_1.Workdir;
    } });
    var Keyword;
    (function(Keyword2) {
      Keyword2["ADD"] = "ADD";
      Keyword2["ARG"] = "ARG";
      Keyword2["CMD"] = "CMD";
      Keyword2["COPY"] = "COPY";
      Keyword2["ENTRYPOINT"] = "ENTRYPOINT";
      Keyword2["ENV"] = "ENV";
      Keyword2["EXPOSE"] = "EXPOSE";
      Keyword2["FROM"] = "FROM";
      Keyword2["HEALTHCHECK"] = "HEALTHCHECK";
      Keyword2["LABEL"] = "LABEL";
      Keyword2["MAINTAINER"] = "MAINTAINER";
      Keyword2["ONBUILD"] = "ONBUILD";
      Keyword2["RUN"] = "RUN";
      Keyword2["SHELL"] = "SHELL";
      Keyword2["STOPSIGNAL"] = "STOPSIGNAL";
      Keyword2["USER"] = "USER";
      Keyword2["VOLUME"] = "VOLUME";
      Keyword2["WORKDIR"] = "WORKDIR";
    })(Keyword || (exports.Keyword = Keyword = {}));
    var Directive;
    (function(Directive2) {
      Directive2["escape"] = "escape";
      Directive2["syntax"] = "syntax";
    })(Directive || (exports.Directive = Directive = {}));
    exports.DefaultVariables = [
      "ALL_PROXY",
      "all_proxy",
      "FTP_PROXY",
      "ftp_proxy",
      "HTTP_PROXY",
      "http_proxy",
      "HTTPS_PROXY",
      "https_proxy",
      "NO_PROXY",
      "no_proxy"
    ];
    var DockerfileParser2;
    (function(DockerfileParser3) {
      function parse(content) {
        let parser = new parser_1.Parser();
        return parser.parse(content);
      }
      DockerfileParser3.parse = parse;
    })(DockerfileParser2 || (exports.DockerfileParser = DockerfileParser2 = {}));
  }
});

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str2) => REGEX_SPECIAL_CHARS.test(str2);
    exports.isRegexChar = (str2) => str2.length === 1 && exports.hasRegexChars(str2);
    exports.escapeRegex = (str2) => str2.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str2) => str2.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str2) => {
      return str2.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path, { windows } = {}) => {
      const segs = path.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK: CHAR_ASTERISK2,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA: CHAR_COMMA2,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET: CHAR_LEFT_SQUARE_BRACKET2,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET: CHAR_RIGHT_SQUARE_BRACKET2
      /* ] */
    } = require_constants();
    var isPathSeparator = (code2) => {
      return code2 === CHAR_FORWARD_SLASH || code2 === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan2 = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str2 = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code2;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str2.charCodeAt(index + 1);
      const advance = () => {
        prev = code2;
        return str2.charCodeAt(++index);
      };
      while (index < length) {
        code2 = advance();
        let next;
        if (code2 === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code2 = advance();
          if (code2 === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code2 === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code2 = advance())) {
            if (code2 === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code2 === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code2 === CHAR_DOT && (code2 = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code2 === CHAR_COMMA2) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code2 === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code2 === CHAR_PLUS || code2 === CHAR_AT || code2 === CHAR_ASTERISK2 || code2 === CHAR_QUESTION_MARK || code2 === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code2 === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code2 = advance())) {
                if (code2 === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code2 === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code2 === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code2 === CHAR_ASTERISK2) {
          if (prev === CHAR_ASTERISK2) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code2 === CHAR_LEFT_SQUARE_BRACKET2) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET2) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code2 === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code2 === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code2 = advance())) {
              if (code2 === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code2 === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code2 === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str2;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str2.slice(0, start);
        str2 = str2.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str2.slice(0, lastIndex);
        glob = str2.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str2;
      } else {
        base = str2;
      }
      if (base && base !== "" && base !== "/" && base !== str2) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code2)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i2 = slashes[idx];
          const value2 = input.slice(n2, i2);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i2 >= start) {
            parts.push(value2);
            prevIndex = i2;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan2;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants4 = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants4;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type2, char) => {
      return `Missing ${type2}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i2 = 0; i2 < values.length; i2++) {
        for (let j = i2 + 1; j < values.length; j++) {
          const a = values[i2];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i2 = 1; i2 < pattern.length; i2++) {
        const ch = pattern[i2];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i2 !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i2),
              end: i2
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants4.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants4.globChars(opts.windows);
      const EXTGLOB_CHARS = constants4.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type2) => {
        state[type2]++;
        stack.push(type2);
      };
      const decrement = (type2) => {
        state[type2]--;
        stack.pop();
      };
      const push3 = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type2, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push3({ type: type2, value: value2, output: state.output ? "" : ONE_CHAR });
        push3({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal;
          open.output = safeOutput || utils.escapeRegex(literal);
          for (let i2 = token.tokensIndex + 1; i2 < tokens.length; i2++) {
            tokens[i2].value = "";
            tokens[i2].output = "";
            delete tokens[i2].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push3({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push3({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push3({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push3({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix4 = POSIX_REGEX_SOURCE[rest2];
                if (posix4) {
                  prev.value = pre + posix4;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push3({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push3({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push3({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push3({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push3({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push3({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push3(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push3({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i2 = arr.length - 1; i2 >= 0; i2--) {
              tokens.pop();
              if (arr[i2].type === "brace") {
                break;
              }
              if (arr[i2].type !== "dots") {
                range.unshift(arr[i2].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push3({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push3({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push3({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push3({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push3({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push3({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push3({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push3({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push3({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push3({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push3({ type: "plus", value });
            continue;
          }
          push3({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push3({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push3({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push3({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push3({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push3({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push3({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push3({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push3(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push3(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push3(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push3({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants4.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str2) => {
        switch (str2) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str2);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan2 = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants4 = require_constants();
    var isObject2 = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str2) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str2);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject2(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix4 = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob, options) : picomatch2.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob, posix: posix4 });
        const result = { glob, state, regex, posix: posix4, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob, posix: posix4 } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix4 ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix4);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob, options, posix4 = options && options.windows) => {
      const regex = glob instanceof RegExp ? glob : picomatch2.makeRe(glob, options);
      return regex.test(utils.basename(input, { windows: posix4 }));
    };
    picomatch2.isMatch = (str2, patterns, options) => picomatch2(patterns, options)(str2);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan2(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants4;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// node_modules/ajv/dist/compile/codegen/code.js
var require_code = __commonJS({
  "node_modules/ajv/dist/compile/codegen/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.regexpCode = exports.getEsmExportName = exports.getProperty = exports.safeStringify = exports.stringify = exports.strConcat = exports.addCodeArg = exports.str = exports._ = exports.nil = exports._Code = exports.Name = exports.IDENTIFIER = exports._CodeOrName = void 0;
    var _CodeOrName = class {
    };
    exports._CodeOrName = _CodeOrName;
    exports.IDENTIFIER = /^[a-z$_][a-z$_0-9]*$/i;
    var Name = class extends _CodeOrName {
      constructor(s2) {
        super();
        if (!exports.IDENTIFIER.test(s2))
          throw new Error("CodeGen: name must be a valid identifier");
        this.str = s2;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        return false;
      }
      get names() {
        return { [this.str]: 1 };
      }
    };
    exports.Name = Name;
    var _Code = class extends _CodeOrName {
      constructor(code2) {
        super();
        this._items = typeof code2 === "string" ? [code2] : code2;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        if (this._items.length > 1)
          return false;
        const item = this._items[0];
        return item === "" || item === '""';
      }
      get str() {
        var _a;
        return (_a = this._str) !== null && _a !== void 0 ? _a : this._str = this._items.reduce((s2, c) => `${s2}${c}`, "");
      }
      get names() {
        var _a;
        return (_a = this._names) !== null && _a !== void 0 ? _a : this._names = this._items.reduce((names, c) => {
          if (c instanceof Name)
            names[c.str] = (names[c.str] || 0) + 1;
          return names;
        }, {});
      }
    };
    exports._Code = _Code;
    exports.nil = new _Code("");
    function _(strs, ...args) {
      const code2 = [strs[0]];
      let i2 = 0;
      while (i2 < args.length) {
        addCodeArg(code2, args[i2]);
        code2.push(strs[++i2]);
      }
      return new _Code(code2);
    }
    exports._ = _;
    var plus = new _Code("+");
    function str2(strs, ...args) {
      const expr = [safeStringify(strs[0])];
      let i2 = 0;
      while (i2 < args.length) {
        expr.push(plus);
        addCodeArg(expr, args[i2]);
        expr.push(plus, safeStringify(strs[++i2]));
      }
      optimize(expr);
      return new _Code(expr);
    }
    exports.str = str2;
    function addCodeArg(code2, arg) {
      if (arg instanceof _Code)
        code2.push(...arg._items);
      else if (arg instanceof Name)
        code2.push(arg);
      else
        code2.push(interpolate(arg));
    }
    exports.addCodeArg = addCodeArg;
    function optimize(expr) {
      let i2 = 1;
      while (i2 < expr.length - 1) {
        if (expr[i2] === plus) {
          const res = mergeExprItems(expr[i2 - 1], expr[i2 + 1]);
          if (res !== void 0) {
            expr.splice(i2 - 1, 3, res);
            continue;
          }
          expr[i2++] = "+";
        }
        i2++;
      }
    }
    function mergeExprItems(a, b) {
      if (b === '""')
        return a;
      if (a === '""')
        return b;
      if (typeof a == "string") {
        if (b instanceof Name || a[a.length - 1] !== '"')
          return;
        if (typeof b != "string")
          return `${a.slice(0, -1)}${b}"`;
        if (b[0] === '"')
          return a.slice(0, -1) + b.slice(1);
        return;
      }
      if (typeof b == "string" && b[0] === '"' && !(a instanceof Name))
        return `"${a}${b.slice(1)}`;
      return;
    }
    function strConcat(c1, c2) {
      return c2.emptyStr() ? c1 : c1.emptyStr() ? c2 : str2`${c1}${c2}`;
    }
    exports.strConcat = strConcat;
    function interpolate(x) {
      return typeof x == "number" || typeof x == "boolean" || x === null ? x : safeStringify(Array.isArray(x) ? x.join(",") : x);
    }
    function stringify(x) {
      return new _Code(safeStringify(x));
    }
    exports.stringify = stringify;
    function safeStringify(x) {
      return JSON.stringify(x).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    }
    exports.safeStringify = safeStringify;
    function getProperty(key) {
      return typeof key == "string" && exports.IDENTIFIER.test(key) ? new _Code(`.${key}`) : _`[${key}]`;
    }
    exports.getProperty = getProperty;
    function getEsmExportName(key) {
      if (typeof key == "string" && exports.IDENTIFIER.test(key)) {
        return new _Code(`${key}`);
      }
      throw new Error(`CodeGen: invalid export name: ${key}, use explicit $id name mapping`);
    }
    exports.getEsmExportName = getEsmExportName;
    function regexpCode(rx) {
      return new _Code(rx.toString());
    }
    exports.regexpCode = regexpCode;
  }
});

// node_modules/ajv/dist/compile/codegen/scope.js
var require_scope = __commonJS({
  "node_modules/ajv/dist/compile/codegen/scope.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValueScope = exports.ValueScopeName = exports.Scope = exports.varKinds = exports.UsedValueState = void 0;
    var code_1 = require_code();
    var ValueError = class extends Error {
      constructor(name) {
        super(`CodeGen: "code" for ${name} not defined`);
        this.value = name.value;
      }
    };
    var UsedValueState;
    (function(UsedValueState2) {
      UsedValueState2[UsedValueState2["Started"] = 0] = "Started";
      UsedValueState2[UsedValueState2["Completed"] = 1] = "Completed";
    })(UsedValueState || (exports.UsedValueState = UsedValueState = {}));
    exports.varKinds = {
      const: new code_1.Name("const"),
      let: new code_1.Name("let"),
      var: new code_1.Name("var")
    };
    var Scope = class {
      constructor({ prefixes, parent } = {}) {
        this._names = {};
        this._prefixes = prefixes;
        this._parent = parent;
      }
      toName(nameOrPrefix) {
        return nameOrPrefix instanceof code_1.Name ? nameOrPrefix : this.name(nameOrPrefix);
      }
      name(prefix) {
        return new code_1.Name(this._newName(prefix));
      }
      _newName(prefix) {
        const ng = this._names[prefix] || this._nameGroup(prefix);
        return `${prefix}${ng.index++}`;
      }
      _nameGroup(prefix) {
        var _a, _b;
        if (((_b = (_a = this._parent) === null || _a === void 0 ? void 0 : _a._prefixes) === null || _b === void 0 ? void 0 : _b.has(prefix)) || this._prefixes && !this._prefixes.has(prefix)) {
          throw new Error(`CodeGen: prefix "${prefix}" is not allowed in this scope`);
        }
        return this._names[prefix] = { prefix, index: 0 };
      }
    };
    exports.Scope = Scope;
    var ValueScopeName = class extends code_1.Name {
      constructor(prefix, nameStr) {
        super(nameStr);
        this.prefix = prefix;
      }
      setValue(value, { property, itemIndex }) {
        this.value = value;
        this.scopePath = (0, code_1._)`.${new code_1.Name(property)}[${itemIndex}]`;
      }
    };
    exports.ValueScopeName = ValueScopeName;
    var line = (0, code_1._)`\n`;
    var ValueScope = class extends Scope {
      constructor(opts) {
        super(opts);
        this._values = {};
        this._scope = opts.scope;
        this.opts = { ...opts, _n: opts.lines ? line : code_1.nil };
      }
      get() {
        return this._scope;
      }
      name(prefix) {
        return new ValueScopeName(prefix, this._newName(prefix));
      }
      value(nameOrPrefix, value) {
        var _a;
        if (value.ref === void 0)
          throw new Error("CodeGen: ref must be passed in value");
        const name = this.toName(nameOrPrefix);
        const { prefix } = name;
        const valueKey = (_a = value.key) !== null && _a !== void 0 ? _a : value.ref;
        let vs = this._values[prefix];
        if (vs) {
          const _name = vs.get(valueKey);
          if (_name)
            return _name;
        } else {
          vs = this._values[prefix] = /* @__PURE__ */ new Map();
        }
        vs.set(valueKey, name);
        const s2 = this._scope[prefix] || (this._scope[prefix] = []);
        const itemIndex = s2.length;
        s2[itemIndex] = value.ref;
        name.setValue(value, { property: prefix, itemIndex });
        return name;
      }
      getValue(prefix, keyOrRef) {
        const vs = this._values[prefix];
        if (!vs)
          return;
        return vs.get(keyOrRef);
      }
      scopeRefs(scopeName, values = this._values) {
        return this._reduceValues(values, (name) => {
          if (name.scopePath === void 0)
            throw new Error(`CodeGen: name "${name}" has no value`);
          return (0, code_1._)`${scopeName}${name.scopePath}`;
        });
      }
      scopeCode(values = this._values, usedValues, getCode) {
        return this._reduceValues(values, (name) => {
          if (name.value === void 0)
            throw new Error(`CodeGen: name "${name}" has no value`);
          return name.value.code;
        }, usedValues, getCode);
      }
      _reduceValues(values, valueCode, usedValues = {}, getCode) {
        let code2 = code_1.nil;
        for (const prefix in values) {
          const vs = values[prefix];
          if (!vs)
            continue;
          const nameSet = usedValues[prefix] = usedValues[prefix] || /* @__PURE__ */ new Map();
          vs.forEach((name) => {
            if (nameSet.has(name))
              return;
            nameSet.set(name, UsedValueState.Started);
            let c = valueCode(name);
            if (c) {
              const def = this.opts.es5 ? exports.varKinds.var : exports.varKinds.const;
              code2 = (0, code_1._)`${code2}${def} ${name} = ${c};${this.opts._n}`;
            } else if (c = getCode === null || getCode === void 0 ? void 0 : getCode(name)) {
              code2 = (0, code_1._)`${code2}${c}${this.opts._n}`;
            } else {
              throw new ValueError(name);
            }
            nameSet.set(name, UsedValueState.Completed);
          });
        }
        return code2;
      }
    };
    exports.ValueScope = ValueScope;
  }
});

// node_modules/ajv/dist/compile/codegen/index.js
var require_codegen = __commonJS({
  "node_modules/ajv/dist/compile/codegen/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.or = exports.and = exports.not = exports.CodeGen = exports.operators = exports.varKinds = exports.ValueScopeName = exports.ValueScope = exports.Scope = exports.Name = exports.regexpCode = exports.stringify = exports.getProperty = exports.nil = exports.strConcat = exports.str = exports._ = void 0;
    var code_1 = require_code();
    var scope_1 = require_scope();
    var code_2 = require_code();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return code_2._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return code_2.str;
    } });
    Object.defineProperty(exports, "strConcat", { enumerable: true, get: function() {
      return code_2.strConcat;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return code_2.nil;
    } });
    Object.defineProperty(exports, "getProperty", { enumerable: true, get: function() {
      return code_2.getProperty;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return code_2.stringify;
    } });
    Object.defineProperty(exports, "regexpCode", { enumerable: true, get: function() {
      return code_2.regexpCode;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return code_2.Name;
    } });
    var scope_2 = require_scope();
    Object.defineProperty(exports, "Scope", { enumerable: true, get: function() {
      return scope_2.Scope;
    } });
    Object.defineProperty(exports, "ValueScope", { enumerable: true, get: function() {
      return scope_2.ValueScope;
    } });
    Object.defineProperty(exports, "ValueScopeName", { enumerable: true, get: function() {
      return scope_2.ValueScopeName;
    } });
    Object.defineProperty(exports, "varKinds", { enumerable: true, get: function() {
      return scope_2.varKinds;
    } });
    exports.operators = {
      GT: new code_1._Code(">"),
      GTE: new code_1._Code(">="),
      LT: new code_1._Code("<"),
      LTE: new code_1._Code("<="),
      EQ: new code_1._Code("==="),
      NEQ: new code_1._Code("!=="),
      NOT: new code_1._Code("!"),
      OR: new code_1._Code("||"),
      AND: new code_1._Code("&&"),
      ADD: new code_1._Code("+")
    };
    var Node = class {
      optimizeNodes() {
        return this;
      }
      optimizeNames(_names, _constants) {
        return this;
      }
    };
    var Def = class extends Node {
      constructor(varKind, name, rhs) {
        super();
        this.varKind = varKind;
        this.name = name;
        this.rhs = rhs;
      }
      render({ es5, _n }) {
        const varKind = es5 ? scope_1.varKinds.var : this.varKind;
        const rhs = this.rhs === void 0 ? "" : ` = ${this.rhs}`;
        return `${varKind} ${this.name}${rhs};` + _n;
      }
      optimizeNames(names, constants4) {
        if (!names[this.name.str])
          return;
        if (this.rhs)
          this.rhs = optimizeExpr(this.rhs, names, constants4);
        return this;
      }
      get names() {
        return this.rhs instanceof code_1._CodeOrName ? this.rhs.names : {};
      }
    };
    var Assign = class extends Node {
      constructor(lhs, rhs, sideEffects) {
        super();
        this.lhs = lhs;
        this.rhs = rhs;
        this.sideEffects = sideEffects;
      }
      render({ _n }) {
        return `${this.lhs} = ${this.rhs};` + _n;
      }
      optimizeNames(names, constants4) {
        if (this.lhs instanceof code_1.Name && !names[this.lhs.str] && !this.sideEffects)
          return;
        this.rhs = optimizeExpr(this.rhs, names, constants4);
        return this;
      }
      get names() {
        const names = this.lhs instanceof code_1.Name ? {} : { ...this.lhs.names };
        return addExprNames(names, this.rhs);
      }
    };
    var AssignOp = class extends Assign {
      constructor(lhs, op, rhs, sideEffects) {
        super(lhs, rhs, sideEffects);
        this.op = op;
      }
      render({ _n }) {
        return `${this.lhs} ${this.op}= ${this.rhs};` + _n;
      }
    };
    var Label = class extends Node {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        return `${this.label}:` + _n;
      }
    };
    var Break = class extends Node {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        const label = this.label ? ` ${this.label}` : "";
        return `break${label};` + _n;
      }
    };
    var Throw = class extends Node {
      constructor(error) {
        super();
        this.error = error;
      }
      render({ _n }) {
        return `throw ${this.error};` + _n;
      }
      get names() {
        return this.error.names;
      }
    };
    var AnyCode = class extends Node {
      constructor(code2) {
        super();
        this.code = code2;
      }
      render({ _n }) {
        return `${this.code};` + _n;
      }
      optimizeNodes() {
        return `${this.code}` ? this : void 0;
      }
      optimizeNames(names, constants4) {
        this.code = optimizeExpr(this.code, names, constants4);
        return this;
      }
      get names() {
        return this.code instanceof code_1._CodeOrName ? this.code.names : {};
      }
    };
    var ParentNode = class extends Node {
      constructor(nodes = []) {
        super();
        this.nodes = nodes;
      }
      render(opts) {
        return this.nodes.reduce((code2, n) => code2 + n.render(opts), "");
      }
      optimizeNodes() {
        const { nodes } = this;
        let i2 = nodes.length;
        while (i2--) {
          const n = nodes[i2].optimizeNodes();
          if (Array.isArray(n))
            nodes.splice(i2, 1, ...n);
          else if (n)
            nodes[i2] = n;
          else
            nodes.splice(i2, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      optimizeNames(names, constants4) {
        const { nodes } = this;
        let i2 = nodes.length;
        while (i2--) {
          const n = nodes[i2];
          if (n.optimizeNames(names, constants4))
            continue;
          subtractNames(names, n.names);
          nodes.splice(i2, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      get names() {
        return this.nodes.reduce((names, n) => addNames(names, n.names), {});
      }
    };
    var BlockNode = class extends ParentNode {
      render(opts) {
        return "{" + opts._n + super.render(opts) + "}" + opts._n;
      }
    };
    var Root = class extends ParentNode {
    };
    var Else = class extends BlockNode {
    };
    Else.kind = "else";
    var If = class _If extends BlockNode {
      constructor(condition, nodes) {
        super(nodes);
        this.condition = condition;
      }
      render(opts) {
        let code2 = `if(${this.condition})` + super.render(opts);
        if (this.else)
          code2 += "else " + this.else.render(opts);
        return code2;
      }
      optimizeNodes() {
        super.optimizeNodes();
        const cond = this.condition;
        if (cond === true)
          return this.nodes;
        let e = this.else;
        if (e) {
          const ns = e.optimizeNodes();
          e = this.else = Array.isArray(ns) ? new Else(ns) : ns;
        }
        if (e) {
          if (cond === false)
            return e instanceof _If ? e : e.nodes;
          if (this.nodes.length)
            return this;
          return new _If(not(cond), e instanceof _If ? [e] : e.nodes);
        }
        if (cond === false || !this.nodes.length)
          return void 0;
        return this;
      }
      optimizeNames(names, constants4) {
        var _a;
        this.else = (_a = this.else) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants4);
        if (!(super.optimizeNames(names, constants4) || this.else))
          return;
        this.condition = optimizeExpr(this.condition, names, constants4);
        return this;
      }
      get names() {
        const names = super.names;
        addExprNames(names, this.condition);
        if (this.else)
          addNames(names, this.else.names);
        return names;
      }
    };
    If.kind = "if";
    var For = class extends BlockNode {
    };
    For.kind = "for";
    var ForLoop = class extends For {
      constructor(iteration) {
        super();
        this.iteration = iteration;
      }
      render(opts) {
        return `for(${this.iteration})` + super.render(opts);
      }
      optimizeNames(names, constants4) {
        if (!super.optimizeNames(names, constants4))
          return;
        this.iteration = optimizeExpr(this.iteration, names, constants4);
        return this;
      }
      get names() {
        return addNames(super.names, this.iteration.names);
      }
    };
    var ForRange = class extends For {
      constructor(varKind, name, from, to) {
        super();
        this.varKind = varKind;
        this.name = name;
        this.from = from;
        this.to = to;
      }
      render(opts) {
        const varKind = opts.es5 ? scope_1.varKinds.var : this.varKind;
        const { name, from, to } = this;
        return `for(${varKind} ${name}=${from}; ${name}<${to}; ${name}++)` + super.render(opts);
      }
      get names() {
        const names = addExprNames(super.names, this.from);
        return addExprNames(names, this.to);
      }
    };
    var ForIter = class extends For {
      constructor(loop, varKind, name, iterable) {
        super();
        this.loop = loop;
        this.varKind = varKind;
        this.name = name;
        this.iterable = iterable;
      }
      render(opts) {
        return `for(${this.varKind} ${this.name} ${this.loop} ${this.iterable})` + super.render(opts);
      }
      optimizeNames(names, constants4) {
        if (!super.optimizeNames(names, constants4))
          return;
        this.iterable = optimizeExpr(this.iterable, names, constants4);
        return this;
      }
      get names() {
        return addNames(super.names, this.iterable.names);
      }
    };
    var Func = class extends BlockNode {
      constructor(name, args, async) {
        super();
        this.name = name;
        this.args = args;
        this.async = async;
      }
      render(opts) {
        const _async = this.async ? "async " : "";
        return `${_async}function ${this.name}(${this.args})` + super.render(opts);
      }
    };
    Func.kind = "func";
    var Return = class extends ParentNode {
      render(opts) {
        return "return " + super.render(opts);
      }
    };
    Return.kind = "return";
    var Try = class extends BlockNode {
      render(opts) {
        let code2 = "try" + super.render(opts);
        if (this.catch)
          code2 += this.catch.render(opts);
        if (this.finally)
          code2 += this.finally.render(opts);
        return code2;
      }
      optimizeNodes() {
        var _a, _b;
        super.optimizeNodes();
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNodes();
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNodes();
        return this;
      }
      optimizeNames(names, constants4) {
        var _a, _b;
        super.optimizeNames(names, constants4);
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants4);
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNames(names, constants4);
        return this;
      }
      get names() {
        const names = super.names;
        if (this.catch)
          addNames(names, this.catch.names);
        if (this.finally)
          addNames(names, this.finally.names);
        return names;
      }
    };
    var Catch = class extends BlockNode {
      constructor(error) {
        super();
        this.error = error;
      }
      render(opts) {
        return `catch(${this.error})` + super.render(opts);
      }
    };
    Catch.kind = "catch";
    var Finally = class extends BlockNode {
      render(opts) {
        return "finally" + super.render(opts);
      }
    };
    Finally.kind = "finally";
    var CodeGen = class {
      constructor(extScope, opts = {}) {
        this._values = {};
        this._blockStarts = [];
        this._constants = {};
        this.opts = { ...opts, _n: opts.lines ? "\n" : "" };
        this._extScope = extScope;
        this._scope = new scope_1.Scope({ parent: extScope });
        this._nodes = [new Root()];
      }
      toString() {
        return this._root.render(this.opts);
      }
      // returns unique name in the internal scope
      name(prefix) {
        return this._scope.name(prefix);
      }
      // reserves unique name in the external scope
      scopeName(prefix) {
        return this._extScope.name(prefix);
      }
      // reserves unique name in the external scope and assigns value to it
      scopeValue(prefixOrName, value) {
        const name = this._extScope.value(prefixOrName, value);
        const vs = this._values[name.prefix] || (this._values[name.prefix] = /* @__PURE__ */ new Set());
        vs.add(name);
        return name;
      }
      getScopeValue(prefix, keyOrRef) {
        return this._extScope.getValue(prefix, keyOrRef);
      }
      // return code that assigns values in the external scope to the names that are used internally
      // (same names that were returned by gen.scopeName or gen.scopeValue)
      scopeRefs(scopeName) {
        return this._extScope.scopeRefs(scopeName, this._values);
      }
      scopeCode() {
        return this._extScope.scopeCode(this._values);
      }
      _def(varKind, nameOrPrefix, rhs, constant) {
        const name = this._scope.toName(nameOrPrefix);
        if (rhs !== void 0 && constant)
          this._constants[name.str] = rhs;
        this._leafNode(new Def(varKind, name, rhs));
        return name;
      }
      // `const` declaration (`var` in es5 mode)
      const(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.const, nameOrPrefix, rhs, _constant);
      }
      // `let` declaration with optional assignment (`var` in es5 mode)
      let(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.let, nameOrPrefix, rhs, _constant);
      }
      // `var` declaration with optional assignment
      var(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.var, nameOrPrefix, rhs, _constant);
      }
      // assignment code
      assign(lhs, rhs, sideEffects) {
        return this._leafNode(new Assign(lhs, rhs, sideEffects));
      }
      // `+=` code
      add(lhs, rhs) {
        return this._leafNode(new AssignOp(lhs, exports.operators.ADD, rhs));
      }
      // appends passed SafeExpr to code or executes Block
      code(c) {
        if (typeof c == "function")
          c();
        else if (c !== code_1.nil)
          this._leafNode(new AnyCode(c));
        return this;
      }
      // returns code for object literal for the passed argument list of key-value pairs
      object(...keyValues) {
        const code2 = ["{"];
        for (const [key, value] of keyValues) {
          if (code2.length > 1)
            code2.push(",");
          code2.push(key);
          if (key !== value || this.opts.es5) {
            code2.push(":");
            (0, code_1.addCodeArg)(code2, value);
          }
        }
        code2.push("}");
        return new code_1._Code(code2);
      }
      // `if` clause (or statement if `thenBody` and, optionally, `elseBody` are passed)
      if(condition, thenBody, elseBody) {
        this._blockNode(new If(condition));
        if (thenBody && elseBody) {
          this.code(thenBody).else().code(elseBody).endIf();
        } else if (thenBody) {
          this.code(thenBody).endIf();
        } else if (elseBody) {
          throw new Error('CodeGen: "else" body without "then" body');
        }
        return this;
      }
      // `else if` clause - invalid without `if` or after `else` clauses
      elseIf(condition) {
        return this._elseNode(new If(condition));
      }
      // `else` clause - only valid after `if` or `else if` clauses
      else() {
        return this._elseNode(new Else());
      }
      // end `if` statement (needed if gen.if was used only with condition)
      endIf() {
        return this._endBlockNode(If, Else);
      }
      _for(node, forBody) {
        this._blockNode(node);
        if (forBody)
          this.code(forBody).endFor();
        return this;
      }
      // a generic `for` clause (or statement if `forBody` is passed)
      for(iteration, forBody) {
        return this._for(new ForLoop(iteration), forBody);
      }
      // `for` statement for a range of values
      forRange(nameOrPrefix, from, to, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.let) {
        const name = this._scope.toName(nameOrPrefix);
        return this._for(new ForRange(varKind, name, from, to), () => forBody(name));
      }
      // `for-of` statement (in es5 mode replace with a normal for loop)
      forOf(nameOrPrefix, iterable, forBody, varKind = scope_1.varKinds.const) {
        const name = this._scope.toName(nameOrPrefix);
        if (this.opts.es5) {
          const arr = iterable instanceof code_1.Name ? iterable : this.var("_arr", iterable);
          return this.forRange("_i", 0, (0, code_1._)`${arr}.length`, (i2) => {
            this.var(name, (0, code_1._)`${arr}[${i2}]`);
            forBody(name);
          });
        }
        return this._for(new ForIter("of", varKind, name, iterable), () => forBody(name));
      }
      // `for-in` statement.
      // With option `ownProperties` replaced with a `for-of` loop for object keys
      forIn(nameOrPrefix, obj, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.const) {
        if (this.opts.ownProperties) {
          return this.forOf(nameOrPrefix, (0, code_1._)`Object.keys(${obj})`, forBody);
        }
        const name = this._scope.toName(nameOrPrefix);
        return this._for(new ForIter("in", varKind, name, obj), () => forBody(name));
      }
      // end `for` loop
      endFor() {
        return this._endBlockNode(For);
      }
      // `label` statement
      label(label) {
        return this._leafNode(new Label(label));
      }
      // `break` statement
      break(label) {
        return this._leafNode(new Break(label));
      }
      // `return` statement
      return(value) {
        const node = new Return();
        this._blockNode(node);
        this.code(value);
        if (node.nodes.length !== 1)
          throw new Error('CodeGen: "return" should have one node');
        return this._endBlockNode(Return);
      }
      // `try` statement
      try(tryBody, catchCode, finallyCode) {
        if (!catchCode && !finallyCode)
          throw new Error('CodeGen: "try" without "catch" and "finally"');
        const node = new Try();
        this._blockNode(node);
        this.code(tryBody);
        if (catchCode) {
          const error = this.name("e");
          this._currNode = node.catch = new Catch(error);
          catchCode(error);
        }
        if (finallyCode) {
          this._currNode = node.finally = new Finally();
          this.code(finallyCode);
        }
        return this._endBlockNode(Catch, Finally);
      }
      // `throw` statement
      throw(error) {
        return this._leafNode(new Throw(error));
      }
      // start self-balancing block
      block(body, nodeCount) {
        this._blockStarts.push(this._nodes.length);
        if (body)
          this.code(body).endBlock(nodeCount);
        return this;
      }
      // end the current self-balancing block
      endBlock(nodeCount) {
        const len = this._blockStarts.pop();
        if (len === void 0)
          throw new Error("CodeGen: not in self-balancing block");
        const toClose = this._nodes.length - len;
        if (toClose < 0 || nodeCount !== void 0 && toClose !== nodeCount) {
          throw new Error(`CodeGen: wrong number of nodes: ${toClose} vs ${nodeCount} expected`);
        }
        this._nodes.length = len;
        return this;
      }
      // `function` heading (or definition if funcBody is passed)
      func(name, args = code_1.nil, async, funcBody) {
        this._blockNode(new Func(name, args, async));
        if (funcBody)
          this.code(funcBody).endFunc();
        return this;
      }
      // end function definition
      endFunc() {
        return this._endBlockNode(Func);
      }
      optimize(n = 1) {
        while (n-- > 0) {
          this._root.optimizeNodes();
          this._root.optimizeNames(this._root.names, this._constants);
        }
      }
      _leafNode(node) {
        this._currNode.nodes.push(node);
        return this;
      }
      _blockNode(node) {
        this._currNode.nodes.push(node);
        this._nodes.push(node);
      }
      _endBlockNode(N1, N2) {
        const n = this._currNode;
        if (n instanceof N1 || N2 && n instanceof N2) {
          this._nodes.pop();
          return this;
        }
        throw new Error(`CodeGen: not in block "${N2 ? `${N1.kind}/${N2.kind}` : N1.kind}"`);
      }
      _elseNode(node) {
        const n = this._currNode;
        if (!(n instanceof If)) {
          throw new Error('CodeGen: "else" without "if"');
        }
        this._currNode = n.else = node;
        return this;
      }
      get _root() {
        return this._nodes[0];
      }
      get _currNode() {
        const ns = this._nodes;
        return ns[ns.length - 1];
      }
      set _currNode(node) {
        const ns = this._nodes;
        ns[ns.length - 1] = node;
      }
    };
    exports.CodeGen = CodeGen;
    function addNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) + (from[n] || 0);
      return names;
    }
    function addExprNames(names, from) {
      return from instanceof code_1._CodeOrName ? addNames(names, from.names) : names;
    }
    function optimizeExpr(expr, names, constants4) {
      if (expr instanceof code_1.Name)
        return replaceName(expr);
      if (!canOptimize(expr))
        return expr;
      return new code_1._Code(expr._items.reduce((items, c) => {
        if (c instanceof code_1.Name)
          c = replaceName(c);
        if (c instanceof code_1._Code)
          items.push(...c._items);
        else
          items.push(c);
        return items;
      }, []));
      function replaceName(n) {
        const c = constants4[n.str];
        if (c === void 0 || names[n.str] !== 1)
          return n;
        delete names[n.str];
        return c;
      }
      function canOptimize(e) {
        return e instanceof code_1._Code && e._items.some((c) => c instanceof code_1.Name && names[c.str] === 1 && constants4[c.str] !== void 0);
      }
    }
    function subtractNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) - (from[n] || 0);
    }
    function not(x) {
      return typeof x == "boolean" || typeof x == "number" || x === null ? !x : (0, code_1._)`!${par(x)}`;
    }
    exports.not = not;
    var andCode = mappend(exports.operators.AND);
    function and(...args) {
      return args.reduce(andCode);
    }
    exports.and = and;
    var orCode = mappend(exports.operators.OR);
    function or(...args) {
      return args.reduce(orCode);
    }
    exports.or = or;
    function mappend(op) {
      return (x, y) => x === code_1.nil ? y : y === code_1.nil ? x : (0, code_1._)`${par(x)} ${op} ${par(y)}`;
    }
    function par(x) {
      return x instanceof code_1.Name ? x : (0, code_1._)`(${x})`;
    }
  }
});

// node_modules/ajv/dist/compile/util.js
var require_util2 = __commonJS({
  "node_modules/ajv/dist/compile/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.checkStrictMode = exports.getErrorPath = exports.Type = exports.useFunc = exports.setEvaluated = exports.evaluatedPropsToName = exports.mergeEvaluated = exports.eachItem = exports.unescapeJsonPointer = exports.escapeJsonPointer = exports.escapeFragment = exports.unescapeFragment = exports.schemaRefOrVal = exports.schemaHasRulesButRef = exports.schemaHasRules = exports.checkUnknownRules = exports.alwaysValidSchema = exports.toHash = void 0;
    var codegen_1 = require_codegen();
    var code_1 = require_code();
    function toHash(arr) {
      const hash2 = {};
      for (const item of arr)
        hash2[item] = true;
      return hash2;
    }
    exports.toHash = toHash;
    function alwaysValidSchema(it, schema2) {
      if (typeof schema2 == "boolean")
        return schema2;
      if (Object.keys(schema2).length === 0)
        return true;
      checkUnknownRules(it, schema2);
      return !schemaHasRules(schema2, it.self.RULES.all);
    }
    exports.alwaysValidSchema = alwaysValidSchema;
    function checkUnknownRules(it, schema2 = it.schema) {
      const { opts, self } = it;
      if (!opts.strictSchema)
        return;
      if (typeof schema2 === "boolean")
        return;
      const rules = self.RULES.keywords;
      for (const key in schema2) {
        if (!rules[key])
          checkStrictMode(it, `unknown keyword: "${key}"`);
      }
    }
    exports.checkUnknownRules = checkUnknownRules;
    function schemaHasRules(schema2, rules) {
      if (typeof schema2 == "boolean")
        return !schema2;
      for (const key in schema2)
        if (rules[key])
          return true;
      return false;
    }
    exports.schemaHasRules = schemaHasRules;
    function schemaHasRulesButRef(schema2, RULES) {
      if (typeof schema2 == "boolean")
        return !schema2;
      for (const key in schema2)
        if (key !== "$ref" && RULES.all[key])
          return true;
      return false;
    }
    exports.schemaHasRulesButRef = schemaHasRulesButRef;
    function schemaRefOrVal({ topSchemaRef, schemaPath }, schema2, keyword, $data) {
      if (!$data) {
        if (typeof schema2 == "number" || typeof schema2 == "boolean")
          return schema2;
        if (typeof schema2 == "string")
          return (0, codegen_1._)`${schema2}`;
      }
      return (0, codegen_1._)`${topSchemaRef}${schemaPath}${(0, codegen_1.getProperty)(keyword)}`;
    }
    exports.schemaRefOrVal = schemaRefOrVal;
    function unescapeFragment(str2) {
      return unescapeJsonPointer(decodeURIComponent(str2));
    }
    exports.unescapeFragment = unescapeFragment;
    function escapeFragment(str2) {
      return encodeURIComponent(escapeJsonPointer(str2));
    }
    exports.escapeFragment = escapeFragment;
    function escapeJsonPointer(str2) {
      if (typeof str2 == "number")
        return `${str2}`;
      return str2.replace(/~/g, "~0").replace(/\//g, "~1");
    }
    exports.escapeJsonPointer = escapeJsonPointer;
    function unescapeJsonPointer(str2) {
      return str2.replace(/~1/g, "/").replace(/~0/g, "~");
    }
    exports.unescapeJsonPointer = unescapeJsonPointer;
    function eachItem(xs, f) {
      if (Array.isArray(xs)) {
        for (const x of xs)
          f(x);
      } else {
        f(xs);
      }
    }
    exports.eachItem = eachItem;
    function makeMergeEvaluated({ mergeNames, mergeToName, mergeValues, resultToName }) {
      return (gen, from, to, toName) => {
        const res = to === void 0 ? from : to instanceof codegen_1.Name ? (from instanceof codegen_1.Name ? mergeNames(gen, from, to) : mergeToName(gen, from, to), to) : from instanceof codegen_1.Name ? (mergeToName(gen, to, from), from) : mergeValues(from, to);
        return toName === codegen_1.Name && !(res instanceof codegen_1.Name) ? resultToName(gen, res) : res;
      };
    }
    exports.mergeEvaluated = {
      props: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => {
          gen.if((0, codegen_1._)`${from} === true`, () => gen.assign(to, true), () => gen.assign(to, (0, codegen_1._)`${to} || {}`).code((0, codegen_1._)`Object.assign(${to}, ${from})`));
        }),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => {
          if (from === true) {
            gen.assign(to, true);
          } else {
            gen.assign(to, (0, codegen_1._)`${to} || {}`);
            setEvaluated(gen, to, from);
          }
        }),
        mergeValues: (from, to) => from === true ? true : { ...from, ...to },
        resultToName: evaluatedPropsToName
      }),
      items: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => gen.assign(to, (0, codegen_1._)`${from} === true ? true : ${to} > ${from} ? ${to} : ${from}`)),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => gen.assign(to, from === true ? true : (0, codegen_1._)`${to} > ${from} ? ${to} : ${from}`)),
        mergeValues: (from, to) => from === true ? true : Math.max(from, to),
        resultToName: (gen, items) => gen.var("items", items)
      })
    };
    function evaluatedPropsToName(gen, ps) {
      if (ps === true)
        return gen.var("props", true);
      const props = gen.var("props", (0, codegen_1._)`{}`);
      if (ps !== void 0)
        setEvaluated(gen, props, ps);
      return props;
    }
    exports.evaluatedPropsToName = evaluatedPropsToName;
    function setEvaluated(gen, props, ps) {
      Object.keys(ps).forEach((p) => gen.assign((0, codegen_1._)`${props}${(0, codegen_1.getProperty)(p)}`, true));
    }
    exports.setEvaluated = setEvaluated;
    var snippets = {};
    function useFunc(gen, f) {
      return gen.scopeValue("func", {
        ref: f,
        code: snippets[f.code] || (snippets[f.code] = new code_1._Code(f.code))
      });
    }
    exports.useFunc = useFunc;
    var Type2;
    (function(Type3) {
      Type3[Type3["Num"] = 0] = "Num";
      Type3[Type3["Str"] = 1] = "Str";
    })(Type2 || (exports.Type = Type2 = {}));
    function getErrorPath(dataProp, dataPropType, jsPropertySyntax) {
      if (dataProp instanceof codegen_1.Name) {
        const isNumber = dataPropType === Type2.Num;
        return jsPropertySyntax ? isNumber ? (0, codegen_1._)`"[" + ${dataProp} + "]"` : (0, codegen_1._)`"['" + ${dataProp} + "']"` : isNumber ? (0, codegen_1._)`"/" + ${dataProp}` : (0, codegen_1._)`"/" + ${dataProp}.replace(/~/g, "~0").replace(/\\//g, "~1")`;
      }
      return jsPropertySyntax ? (0, codegen_1.getProperty)(dataProp).toString() : "/" + escapeJsonPointer(dataProp);
    }
    exports.getErrorPath = getErrorPath;
    function checkStrictMode(it, msg, mode = it.opts.strictSchema) {
      if (!mode)
        return;
      msg = `strict mode: ${msg}`;
      if (mode === true)
        throw new Error(msg);
      it.self.logger.warn(msg);
    }
    exports.checkStrictMode = checkStrictMode;
  }
});

// node_modules/ajv/dist/compile/names.js
var require_names = __commonJS({
  "node_modules/ajv/dist/compile/names.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var names = {
      // validation function arguments
      data: new codegen_1.Name("data"),
      // data passed to validation function
      // args passed from referencing schema
      valCxt: new codegen_1.Name("valCxt"),
      // validation/data context - should not be used directly, it is destructured to the names below
      instancePath: new codegen_1.Name("instancePath"),
      parentData: new codegen_1.Name("parentData"),
      parentDataProperty: new codegen_1.Name("parentDataProperty"),
      rootData: new codegen_1.Name("rootData"),
      // root data - same as the data passed to the first/top validation function
      dynamicAnchors: new codegen_1.Name("dynamicAnchors"),
      // used to support recursiveRef and dynamicRef
      // function scoped variables
      vErrors: new codegen_1.Name("vErrors"),
      // null or array of validation errors
      errors: new codegen_1.Name("errors"),
      // counter of validation errors
      this: new codegen_1.Name("this"),
      // "globals"
      self: new codegen_1.Name("self"),
      scope: new codegen_1.Name("scope"),
      // JTD serialize/parse name for JSON string and position
      json: new codegen_1.Name("json"),
      jsonPos: new codegen_1.Name("jsonPos"),
      jsonLen: new codegen_1.Name("jsonLen"),
      jsonPart: new codegen_1.Name("jsonPart")
    };
    exports.default = names;
  }
});

// node_modules/ajv/dist/compile/errors.js
var require_errors = __commonJS({
  "node_modules/ajv/dist/compile/errors.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendErrors = exports.resetErrorsCount = exports.reportExtraError = exports.reportError = exports.keyword$DataError = exports.keywordError = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var names_1 = require_names();
    exports.keywordError = {
      message: ({ keyword }) => (0, codegen_1.str)`must pass "${keyword}" keyword validation`
    };
    exports.keyword$DataError = {
      message: ({ keyword, schemaType }) => schemaType ? (0, codegen_1.str)`"${keyword}" keyword must be ${schemaType} ($data)` : (0, codegen_1.str)`"${keyword}" keyword is invalid ($data)`
    };
    function reportError(cxt, error = exports.keywordError, errorPaths, overrideAllErrors) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      if (overrideAllErrors !== null && overrideAllErrors !== void 0 ? overrideAllErrors : compositeRule || allErrors) {
        addError(gen, errObj);
      } else {
        returnErrors(it, (0, codegen_1._)`[${errObj}]`);
      }
    }
    exports.reportError = reportError;
    function reportExtraError(cxt, error = exports.keywordError, errorPaths) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      addError(gen, errObj);
      if (!(compositeRule || allErrors)) {
        returnErrors(it, names_1.default.vErrors);
      }
    }
    exports.reportExtraError = reportExtraError;
    function resetErrorsCount(gen, errsCount) {
      gen.assign(names_1.default.errors, errsCount);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} !== null`, () => gen.if(errsCount, () => gen.assign((0, codegen_1._)`${names_1.default.vErrors}.length`, errsCount), () => gen.assign(names_1.default.vErrors, null)));
    }
    exports.resetErrorsCount = resetErrorsCount;
    function extendErrors({ gen, keyword, schemaValue, data, errsCount, it }) {
      if (errsCount === void 0)
        throw new Error("ajv implementation error");
      const err = gen.name("err");
      gen.forRange("i", errsCount, names_1.default.errors, (i2) => {
        gen.const(err, (0, codegen_1._)`${names_1.default.vErrors}[${i2}]`);
        gen.if((0, codegen_1._)`${err}.instancePath === undefined`, () => gen.assign((0, codegen_1._)`${err}.instancePath`, (0, codegen_1.strConcat)(names_1.default.instancePath, it.errorPath)));
        gen.assign((0, codegen_1._)`${err}.schemaPath`, (0, codegen_1.str)`${it.errSchemaPath}/${keyword}`);
        if (it.opts.verbose) {
          gen.assign((0, codegen_1._)`${err}.schema`, schemaValue);
          gen.assign((0, codegen_1._)`${err}.data`, data);
        }
      });
    }
    exports.extendErrors = extendErrors;
    function addError(gen, errObj) {
      const err = gen.const("err", errObj);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} === null`, () => gen.assign(names_1.default.vErrors, (0, codegen_1._)`[${err}]`), (0, codegen_1._)`${names_1.default.vErrors}.push(${err})`);
      gen.code((0, codegen_1._)`${names_1.default.errors}++`);
    }
    function returnErrors(it, errs) {
      const { gen, validateName, schemaEnv } = it;
      if (schemaEnv.$async) {
        gen.throw((0, codegen_1._)`new ${it.ValidationError}(${errs})`);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, errs);
        gen.return(false);
      }
    }
    var E = {
      keyword: new codegen_1.Name("keyword"),
      schemaPath: new codegen_1.Name("schemaPath"),
      // also used in JTD errors
      params: new codegen_1.Name("params"),
      propertyName: new codegen_1.Name("propertyName"),
      message: new codegen_1.Name("message"),
      schema: new codegen_1.Name("schema"),
      parentSchema: new codegen_1.Name("parentSchema")
    };
    function errorObjectCode(cxt, error, errorPaths) {
      const { createErrors } = cxt.it;
      if (createErrors === false)
        return (0, codegen_1._)`{}`;
      return errorObject(cxt, error, errorPaths);
    }
    function errorObject(cxt, error, errorPaths = {}) {
      const { gen, it } = cxt;
      const keyValues = [
        errorInstancePath(it, errorPaths),
        errorSchemaPath(cxt, errorPaths)
      ];
      extraErrorProps(cxt, error, keyValues);
      return gen.object(...keyValues);
    }
    function errorInstancePath({ errorPath }, { instancePath }) {
      const instPath = instancePath ? (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(instancePath, util_1.Type.Str)}` : errorPath;
      return [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, instPath)];
    }
    function errorSchemaPath({ keyword, it: { errSchemaPath } }, { schemaPath, parentSchema }) {
      let schPath = parentSchema ? errSchemaPath : (0, codegen_1.str)`${errSchemaPath}/${keyword}`;
      if (schemaPath) {
        schPath = (0, codegen_1.str)`${schPath}${(0, util_1.getErrorPath)(schemaPath, util_1.Type.Str)}`;
      }
      return [E.schemaPath, schPath];
    }
    function extraErrorProps(cxt, { params, message }, keyValues) {
      const { keyword, data, schemaValue, it } = cxt;
      const { opts, propertyName, topSchemaRef, schemaPath } = it;
      keyValues.push([E.keyword, keyword], [E.params, typeof params == "function" ? params(cxt) : params || (0, codegen_1._)`{}`]);
      if (opts.messages) {
        keyValues.push([E.message, typeof message == "function" ? message(cxt) : message]);
      }
      if (opts.verbose) {
        keyValues.push([E.schema, schemaValue], [E.parentSchema, (0, codegen_1._)`${topSchemaRef}${schemaPath}`], [names_1.default.data, data]);
      }
      if (propertyName)
        keyValues.push([E.propertyName, propertyName]);
    }
  }
});

// node_modules/ajv/dist/compile/validate/boolSchema.js
var require_boolSchema = __commonJS({
  "node_modules/ajv/dist/compile/validate/boolSchema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.boolOrEmptySchema = exports.topBoolOrEmptySchema = void 0;
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var boolError = {
      message: "boolean schema is false"
    };
    function topBoolOrEmptySchema(it) {
      const { gen, schema: schema2, validateName } = it;
      if (schema2 === false) {
        falseSchemaError(it, false);
      } else if (typeof schema2 == "object" && schema2.$async === true) {
        gen.return(names_1.default.data);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, null);
        gen.return(true);
      }
    }
    exports.topBoolOrEmptySchema = topBoolOrEmptySchema;
    function boolOrEmptySchema(it, valid) {
      const { gen, schema: schema2 } = it;
      if (schema2 === false) {
        gen.var(valid, false);
        falseSchemaError(it);
      } else {
        gen.var(valid, true);
      }
    }
    exports.boolOrEmptySchema = boolOrEmptySchema;
    function falseSchemaError(it, overrideAllErrors) {
      const { gen, data } = it;
      const cxt = {
        gen,
        keyword: "false schema",
        data,
        schema: false,
        schemaCode: false,
        schemaValue: false,
        params: {},
        it
      };
      (0, errors_1.reportError)(cxt, boolError, void 0, overrideAllErrors);
    }
  }
});

// node_modules/ajv/dist/compile/rules.js
var require_rules = __commonJS({
  "node_modules/ajv/dist/compile/rules.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getRules = exports.isJSONType = void 0;
    var _jsonTypes = ["string", "number", "integer", "boolean", "null", "object", "array"];
    var jsonTypes = new Set(_jsonTypes);
    function isJSONType(x) {
      return typeof x == "string" && jsonTypes.has(x);
    }
    exports.isJSONType = isJSONType;
    function getRules() {
      const groups = {
        number: { type: "number", rules: [] },
        string: { type: "string", rules: [] },
        array: { type: "array", rules: [] },
        object: { type: "object", rules: [] }
      };
      return {
        types: { ...groups, integer: true, boolean: true, null: true },
        rules: [{ rules: [] }, groups.number, groups.string, groups.array, groups.object],
        post: { rules: [] },
        all: {},
        keywords: {}
      };
    }
    exports.getRules = getRules;
  }
});

// node_modules/ajv/dist/compile/validate/applicability.js
var require_applicability = __commonJS({
  "node_modules/ajv/dist/compile/validate/applicability.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.shouldUseRule = exports.shouldUseGroup = exports.schemaHasRulesForType = void 0;
    function schemaHasRulesForType({ schema: schema2, self }, type2) {
      const group = self.RULES.types[type2];
      return group && group !== true && shouldUseGroup(schema2, group);
    }
    exports.schemaHasRulesForType = schemaHasRulesForType;
    function shouldUseGroup(schema2, group) {
      return group.rules.some((rule41) => shouldUseRule(schema2, rule41));
    }
    exports.shouldUseGroup = shouldUseGroup;
    function shouldUseRule(schema2, rule41) {
      var _a;
      return schema2[rule41.keyword] !== void 0 || ((_a = rule41.definition.implements) === null || _a === void 0 ? void 0 : _a.some((kwd) => schema2[kwd] !== void 0));
    }
    exports.shouldUseRule = shouldUseRule;
  }
});

// node_modules/ajv/dist/compile/validate/dataType.js
var require_dataType = __commonJS({
  "node_modules/ajv/dist/compile/validate/dataType.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.reportTypeError = exports.checkDataTypes = exports.checkDataType = exports.coerceAndCheckDataType = exports.getJSONTypes = exports.getSchemaTypes = exports.DataType = void 0;
    var rules_1 = require_rules();
    var applicability_1 = require_applicability();
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var DataType;
    (function(DataType2) {
      DataType2[DataType2["Correct"] = 0] = "Correct";
      DataType2[DataType2["Wrong"] = 1] = "Wrong";
    })(DataType || (exports.DataType = DataType = {}));
    function getSchemaTypes(schema2) {
      const types3 = getJSONTypes(schema2.type);
      const hasNull = types3.includes("null");
      if (hasNull) {
        if (schema2.nullable === false)
          throw new Error("type: null contradicts nullable: false");
      } else {
        if (!types3.length && schema2.nullable !== void 0) {
          throw new Error('"nullable" cannot be used without "type"');
        }
        if (schema2.nullable === true)
          types3.push("null");
      }
      return types3;
    }
    exports.getSchemaTypes = getSchemaTypes;
    function getJSONTypes(ts) {
      const types3 = Array.isArray(ts) ? ts : ts ? [ts] : [];
      if (types3.every(rules_1.isJSONType))
        return types3;
      throw new Error("type must be JSONType or JSONType[]: " + types3.join(","));
    }
    exports.getJSONTypes = getJSONTypes;
    function coerceAndCheckDataType(it, types3) {
      const { gen, data, opts } = it;
      const coerceTo = coerceToTypes(types3, opts.coerceTypes);
      const checkTypes = types3.length > 0 && !(coerceTo.length === 0 && types3.length === 1 && (0, applicability_1.schemaHasRulesForType)(it, types3[0]));
      if (checkTypes) {
        const wrongType = checkDataTypes(types3, data, opts.strictNumbers, DataType.Wrong);
        gen.if(wrongType, () => {
          if (coerceTo.length)
            coerceData(it, types3, coerceTo);
          else
            reportTypeError(it);
        });
      }
      return checkTypes;
    }
    exports.coerceAndCheckDataType = coerceAndCheckDataType;
    var COERCIBLE = /* @__PURE__ */ new Set(["string", "number", "integer", "boolean", "null"]);
    function coerceToTypes(types3, coerceTypes) {
      return coerceTypes ? types3.filter((t) => COERCIBLE.has(t) || coerceTypes === "array" && t === "array") : [];
    }
    function coerceData(it, types3, coerceTo) {
      const { gen, data, opts } = it;
      const dataType = gen.let("dataType", (0, codegen_1._)`typeof ${data}`);
      const coerced = gen.let("coerced", (0, codegen_1._)`undefined`);
      if (opts.coerceTypes === "array") {
        gen.if((0, codegen_1._)`${dataType} == 'object' && Array.isArray(${data}) && ${data}.length == 1`, () => gen.assign(data, (0, codegen_1._)`${data}[0]`).assign(dataType, (0, codegen_1._)`typeof ${data}`).if(checkDataTypes(types3, data, opts.strictNumbers), () => gen.assign(coerced, data)));
      }
      gen.if((0, codegen_1._)`${coerced} !== undefined`);
      for (const t of coerceTo) {
        if (COERCIBLE.has(t) || t === "array" && opts.coerceTypes === "array") {
          coerceSpecificType(t);
        }
      }
      gen.else();
      reportTypeError(it);
      gen.endIf();
      gen.if((0, codegen_1._)`${coerced} !== undefined`, () => {
        gen.assign(data, coerced);
        assignParentData(it, coerced);
      });
      function coerceSpecificType(t) {
        switch (t) {
          case "string":
            gen.elseIf((0, codegen_1._)`${dataType} == "number" || ${dataType} == "boolean"`).assign(coerced, (0, codegen_1._)`"" + ${data}`).elseIf((0, codegen_1._)`${data} === null`).assign(coerced, (0, codegen_1._)`""`);
            return;
          case "number":
            gen.elseIf((0, codegen_1._)`${dataType} == "boolean" || ${data} === null
              || (${dataType} == "string" && ${data} && ${data} == +${data})`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "integer":
            gen.elseIf((0, codegen_1._)`${dataType} === "boolean" || ${data} === null
              || (${dataType} === "string" && ${data} && ${data} == +${data} && !(${data} % 1))`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "boolean":
            gen.elseIf((0, codegen_1._)`${data} === "false" || ${data} === 0 || ${data} === null`).assign(coerced, false).elseIf((0, codegen_1._)`${data} === "true" || ${data} === 1`).assign(coerced, true);
            return;
          case "null":
            gen.elseIf((0, codegen_1._)`${data} === "" || ${data} === 0 || ${data} === false`);
            gen.assign(coerced, null);
            return;
          case "array":
            gen.elseIf((0, codegen_1._)`${dataType} === "string" || ${dataType} === "number"
              || ${dataType} === "boolean" || ${data} === null`).assign(coerced, (0, codegen_1._)`[${data}]`);
        }
      }
    }
    function assignParentData({ gen, parentData, parentDataProperty }, expr) {
      gen.if((0, codegen_1._)`${parentData} !== undefined`, () => gen.assign((0, codegen_1._)`${parentData}[${parentDataProperty}]`, expr));
    }
    function checkDataType(dataType, data, strictNums, correct = DataType.Correct) {
      const EQ = correct === DataType.Correct ? codegen_1.operators.EQ : codegen_1.operators.NEQ;
      let cond;
      switch (dataType) {
        case "null":
          return (0, codegen_1._)`${data} ${EQ} null`;
        case "array":
          cond = (0, codegen_1._)`Array.isArray(${data})`;
          break;
        case "object":
          cond = (0, codegen_1._)`${data} && typeof ${data} == "object" && !Array.isArray(${data})`;
          break;
        case "integer":
          cond = numCond((0, codegen_1._)`!(${data} % 1) && !isNaN(${data})`);
          break;
        case "number":
          cond = numCond();
          break;
        default:
          return (0, codegen_1._)`typeof ${data} ${EQ} ${dataType}`;
      }
      return correct === DataType.Correct ? cond : (0, codegen_1.not)(cond);
      function numCond(_cond = codegen_1.nil) {
        return (0, codegen_1.and)((0, codegen_1._)`typeof ${data} == "number"`, _cond, strictNums ? (0, codegen_1._)`isFinite(${data})` : codegen_1.nil);
      }
    }
    exports.checkDataType = checkDataType;
    function checkDataTypes(dataTypes, data, strictNums, correct) {
      if (dataTypes.length === 1) {
        return checkDataType(dataTypes[0], data, strictNums, correct);
      }
      let cond;
      const types3 = (0, util_1.toHash)(dataTypes);
      if (types3.array && types3.object) {
        const notObj = (0, codegen_1._)`typeof ${data} != "object"`;
        cond = types3.null ? notObj : (0, codegen_1._)`!${data} || ${notObj}`;
        delete types3.null;
        delete types3.array;
        delete types3.object;
      } else {
        cond = codegen_1.nil;
      }
      if (types3.number)
        delete types3.integer;
      for (const t in types3)
        cond = (0, codegen_1.and)(cond, checkDataType(t, data, strictNums, correct));
      return cond;
    }
    exports.checkDataTypes = checkDataTypes;
    var typeError = {
      message: ({ schema: schema2 }) => `must be ${schema2}`,
      params: ({ schema: schema2, schemaValue }) => typeof schema2 == "string" ? (0, codegen_1._)`{type: ${schema2}}` : (0, codegen_1._)`{type: ${schemaValue}}`
    };
    function reportTypeError(it) {
      const cxt = getTypeErrorContext(it);
      (0, errors_1.reportError)(cxt, typeError);
    }
    exports.reportTypeError = reportTypeError;
    function getTypeErrorContext(it) {
      const { gen, data, schema: schema2 } = it;
      const schemaCode = (0, util_1.schemaRefOrVal)(it, schema2, "type");
      return {
        gen,
        keyword: "type",
        data,
        schema: schema2.type,
        schemaCode,
        schemaValue: schemaCode,
        parentSchema: schema2,
        params: {},
        it
      };
    }
  }
});

// node_modules/ajv/dist/compile/validate/defaults.js
var require_defaults = __commonJS({
  "node_modules/ajv/dist/compile/validate/defaults.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.assignDefaults = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    function assignDefaults(it, ty) {
      const { properties, items } = it.schema;
      if (ty === "object" && properties) {
        for (const key in properties) {
          assignDefault(it, key, properties[key].default);
        }
      } else if (ty === "array" && Array.isArray(items)) {
        items.forEach((sch, i2) => assignDefault(it, i2, sch.default));
      }
    }
    exports.assignDefaults = assignDefaults;
    function assignDefault(it, prop, defaultValue) {
      const { gen, compositeRule, data, opts } = it;
      if (defaultValue === void 0)
        return;
      const childData = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(prop)}`;
      if (compositeRule) {
        (0, util_1.checkStrictMode)(it, `default is ignored for: ${childData}`);
        return;
      }
      let condition = (0, codegen_1._)`${childData} === undefined`;
      if (opts.useDefaults === "empty") {
        condition = (0, codegen_1._)`${condition} || ${childData} === null || ${childData} === ""`;
      }
      gen.if(condition, (0, codegen_1._)`${childData} = ${(0, codegen_1.stringify)(defaultValue)}`);
    }
  }
});

// node_modules/ajv/dist/vocabularies/code.js
var require_code2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateUnion = exports.validateArray = exports.usePattern = exports.callValidateCode = exports.schemaProperties = exports.allSchemaProperties = exports.noPropertyInData = exports.propertyInData = exports.isOwnProperty = exports.hasPropFunc = exports.reportMissingProp = exports.checkMissingProp = exports.checkReportMissingProp = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var names_1 = require_names();
    var util_2 = require_util2();
    function checkReportMissingProp(cxt, prop) {
      const { gen, data, it } = cxt;
      gen.if(noPropertyInData(gen, data, prop, it.opts.ownProperties), () => {
        cxt.setParams({ missingProperty: (0, codegen_1._)`${prop}` }, true);
        cxt.error();
      });
    }
    exports.checkReportMissingProp = checkReportMissingProp;
    function checkMissingProp({ gen, data, it: { opts } }, properties, missing) {
      return (0, codegen_1.or)(...properties.map((prop) => (0, codegen_1.and)(noPropertyInData(gen, data, prop, opts.ownProperties), (0, codegen_1._)`${missing} = ${prop}`)));
    }
    exports.checkMissingProp = checkMissingProp;
    function reportMissingProp(cxt, missing) {
      cxt.setParams({ missingProperty: missing }, true);
      cxt.error();
    }
    exports.reportMissingProp = reportMissingProp;
    function hasPropFunc(gen) {
      return gen.scopeValue("func", {
        // eslint-disable-next-line @typescript-eslint/unbound-method
        ref: Object.prototype.hasOwnProperty,
        code: (0, codegen_1._)`Object.prototype.hasOwnProperty`
      });
    }
    exports.hasPropFunc = hasPropFunc;
    function isOwnProperty(gen, data, property) {
      return (0, codegen_1._)`${hasPropFunc(gen)}.call(${data}, ${property})`;
    }
    exports.isOwnProperty = isOwnProperty;
    function propertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} !== undefined`;
      return ownProperties ? (0, codegen_1._)`${cond} && ${isOwnProperty(gen, data, property)}` : cond;
    }
    exports.propertyInData = propertyInData;
    function noPropertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} === undefined`;
      return ownProperties ? (0, codegen_1.or)(cond, (0, codegen_1.not)(isOwnProperty(gen, data, property))) : cond;
    }
    exports.noPropertyInData = noPropertyInData;
    function allSchemaProperties(schemaMap) {
      return schemaMap ? Object.keys(schemaMap).filter((p) => p !== "__proto__") : [];
    }
    exports.allSchemaProperties = allSchemaProperties;
    function schemaProperties(it, schemaMap) {
      return allSchemaProperties(schemaMap).filter((p) => !(0, util_1.alwaysValidSchema)(it, schemaMap[p]));
    }
    exports.schemaProperties = schemaProperties;
    function callValidateCode({ schemaCode, data, it: { gen, topSchemaRef, schemaPath, errorPath }, it }, func, context, passSchema) {
      const dataAndSchema = passSchema ? (0, codegen_1._)`${schemaCode}, ${data}, ${topSchemaRef}${schemaPath}` : data;
      const valCxt = [
        [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, errorPath)],
        [names_1.default.parentData, it.parentData],
        [names_1.default.parentDataProperty, it.parentDataProperty],
        [names_1.default.rootData, names_1.default.rootData]
      ];
      if (it.opts.dynamicRef)
        valCxt.push([names_1.default.dynamicAnchors, names_1.default.dynamicAnchors]);
      const args = (0, codegen_1._)`${dataAndSchema}, ${gen.object(...valCxt)}`;
      return context !== codegen_1.nil ? (0, codegen_1._)`${func}.call(${context}, ${args})` : (0, codegen_1._)`${func}(${args})`;
    }
    exports.callValidateCode = callValidateCode;
    var newRegExp = (0, codegen_1._)`new RegExp`;
    function usePattern({ gen, it: { opts } }, pattern) {
      const u = opts.unicodeRegExp ? "u" : "";
      const { regExp } = opts.code;
      const rx = regExp(pattern, u);
      return gen.scopeValue("pattern", {
        key: rx.toString(),
        ref: rx,
        code: (0, codegen_1._)`${regExp.code === "new RegExp" ? newRegExp : (0, util_2.useFunc)(gen, regExp)}(${pattern}, ${u})`
      });
    }
    exports.usePattern = usePattern;
    function validateArray(cxt) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      if (it.allErrors) {
        const validArr = gen.let("valid", true);
        validateItems(() => gen.assign(validArr, false));
        return validArr;
      }
      gen.var(valid, true);
      validateItems(() => gen.break());
      return valid;
      function validateItems(notValid) {
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        gen.forRange("i", 0, len, (i2) => {
          cxt.subschema({
            keyword,
            dataProp: i2,
            dataPropType: util_1.Type.Num
          }, valid);
          gen.if((0, codegen_1.not)(valid), notValid);
        });
      }
    }
    exports.validateArray = validateArray;
    function validateUnion(cxt) {
      const { gen, schema: schema2, keyword, it } = cxt;
      if (!Array.isArray(schema2))
        throw new Error("ajv implementation error");
      const alwaysValid = schema2.some((sch) => (0, util_1.alwaysValidSchema)(it, sch));
      if (alwaysValid && !it.opts.unevaluated)
        return;
      const valid = gen.let("valid", false);
      const schValid = gen.name("_valid");
      gen.block(() => schema2.forEach((_sch, i2) => {
        const schCxt = cxt.subschema({
          keyword,
          schemaProp: i2,
          compositeRule: true
        }, schValid);
        gen.assign(valid, (0, codegen_1._)`${valid} || ${schValid}`);
        const merged = cxt.mergeValidEvaluated(schCxt, schValid);
        if (!merged)
          gen.if((0, codegen_1.not)(valid));
      }));
      cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
    }
    exports.validateUnion = validateUnion;
  }
});

// node_modules/ajv/dist/compile/validate/keyword.js
var require_keyword = __commonJS({
  "node_modules/ajv/dist/compile/validate/keyword.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateKeywordUsage = exports.validSchemaType = exports.funcKeywordCode = exports.macroKeywordCode = void 0;
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var code_1 = require_code2();
    var errors_1 = require_errors();
    function macroKeywordCode(cxt, def) {
      const { gen, keyword, schema: schema2, parentSchema, it } = cxt;
      const macroSchema = def.macro.call(it.self, schema2, parentSchema, it);
      const schemaRef = useKeyword(gen, keyword, macroSchema);
      if (it.opts.validateSchema !== false)
        it.self.validateSchema(macroSchema, true);
      const valid = gen.name("valid");
      cxt.subschema({
        schema: macroSchema,
        schemaPath: codegen_1.nil,
        errSchemaPath: `${it.errSchemaPath}/${keyword}`,
        topSchemaRef: schemaRef,
        compositeRule: true
      }, valid);
      cxt.pass(valid, () => cxt.error(true));
    }
    exports.macroKeywordCode = macroKeywordCode;
    function funcKeywordCode(cxt, def) {
      var _a;
      const { gen, keyword, schema: schema2, parentSchema, $data, it } = cxt;
      checkAsyncKeyword(it, def);
      const validate = !$data && def.compile ? def.compile.call(it.self, schema2, parentSchema, it) : def.validate;
      const validateRef = useKeyword(gen, keyword, validate);
      const valid = gen.let("valid");
      cxt.block$data(valid, validateKeyword);
      cxt.ok((_a = def.valid) !== null && _a !== void 0 ? _a : valid);
      function validateKeyword() {
        if (def.errors === false) {
          assignValid();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => cxt.error());
        } else {
          const ruleErrs = def.async ? validateAsync() : validateSync();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => addErrs(cxt, ruleErrs));
        }
      }
      function validateAsync() {
        const ruleErrs = gen.let("ruleErrs", null);
        gen.try(() => assignValid((0, codegen_1._)`await `), (e) => gen.assign(valid, false).if((0, codegen_1._)`${e} instanceof ${it.ValidationError}`, () => gen.assign(ruleErrs, (0, codegen_1._)`${e}.errors`), () => gen.throw(e)));
        return ruleErrs;
      }
      function validateSync() {
        const validateErrs = (0, codegen_1._)`${validateRef}.errors`;
        gen.assign(validateErrs, null);
        assignValid(codegen_1.nil);
        return validateErrs;
      }
      function assignValid(_await = def.async ? (0, codegen_1._)`await ` : codegen_1.nil) {
        const passCxt = it.opts.passContext ? names_1.default.this : names_1.default.self;
        const passSchema = !("compile" in def && !$data || def.schema === false);
        gen.assign(valid, (0, codegen_1._)`${_await}${(0, code_1.callValidateCode)(cxt, validateRef, passCxt, passSchema)}`, def.modifying);
      }
      function reportErrs(errors) {
        var _a2;
        gen.if((0, codegen_1.not)((_a2 = def.valid) !== null && _a2 !== void 0 ? _a2 : valid), errors);
      }
    }
    exports.funcKeywordCode = funcKeywordCode;
    function modifyData(cxt) {
      const { gen, data, it } = cxt;
      gen.if(it.parentData, () => gen.assign(data, (0, codegen_1._)`${it.parentData}[${it.parentDataProperty}]`));
    }
    function addErrs(cxt, errs) {
      const { gen } = cxt;
      gen.if((0, codegen_1._)`Array.isArray(${errs})`, () => {
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`).assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
        (0, errors_1.extendErrors)(cxt);
      }, () => cxt.error());
    }
    function checkAsyncKeyword({ schemaEnv }, def) {
      if (def.async && !schemaEnv.$async)
        throw new Error("async keyword in sync schema");
    }
    function useKeyword(gen, keyword, result) {
      if (result === void 0)
        throw new Error(`keyword "${keyword}" failed to compile`);
      return gen.scopeValue("keyword", typeof result == "function" ? { ref: result } : { ref: result, code: (0, codegen_1.stringify)(result) });
    }
    function validSchemaType(schema2, schemaType, allowUndefined = false) {
      return !schemaType.length || schemaType.some((st) => st === "array" ? Array.isArray(schema2) : st === "object" ? schema2 && typeof schema2 == "object" && !Array.isArray(schema2) : typeof schema2 == st || allowUndefined && typeof schema2 == "undefined");
    }
    exports.validSchemaType = validSchemaType;
    function validateKeywordUsage({ schema: schema2, opts, self, errSchemaPath }, def, keyword) {
      if (Array.isArray(def.keyword) ? !def.keyword.includes(keyword) : def.keyword !== keyword) {
        throw new Error("ajv implementation error");
      }
      const deps = def.dependencies;
      if (deps === null || deps === void 0 ? void 0 : deps.some((kwd) => !Object.prototype.hasOwnProperty.call(schema2, kwd))) {
        throw new Error(`parent schema must have dependencies of ${keyword}: ${deps.join(",")}`);
      }
      if (def.validateSchema) {
        const valid = def.validateSchema(schema2[keyword]);
        if (!valid) {
          const msg = `keyword "${keyword}" value is invalid at path "${errSchemaPath}": ` + self.errorsText(def.validateSchema.errors);
          if (opts.validateSchema === "log")
            self.logger.error(msg);
          else
            throw new Error(msg);
        }
      }
    }
    exports.validateKeywordUsage = validateKeywordUsage;
  }
});

// node_modules/ajv/dist/compile/validate/subschema.js
var require_subschema = __commonJS({
  "node_modules/ajv/dist/compile/validate/subschema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendSubschemaMode = exports.extendSubschemaData = exports.getSubschema = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    function getSubschema(it, { keyword, schemaProp, schema: schema2, schemaPath, errSchemaPath, topSchemaRef }) {
      if (keyword !== void 0 && schema2 !== void 0) {
        throw new Error('both "keyword" and "schema" passed, only one allowed');
      }
      if (keyword !== void 0) {
        const sch = it.schema[keyword];
        return schemaProp === void 0 ? {
          schema: sch,
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}`
        } : {
          schema: sch[schemaProp],
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}${(0, codegen_1.getProperty)(schemaProp)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}/${(0, util_1.escapeFragment)(schemaProp)}`
        };
      }
      if (schema2 !== void 0) {
        if (schemaPath === void 0 || errSchemaPath === void 0 || topSchemaRef === void 0) {
          throw new Error('"schemaPath", "errSchemaPath" and "topSchemaRef" are required with "schema"');
        }
        return {
          schema: schema2,
          schemaPath,
          topSchemaRef,
          errSchemaPath
        };
      }
      throw new Error('either "keyword" or "schema" must be passed');
    }
    exports.getSubschema = getSubschema;
    function extendSubschemaData(subschema, it, { dataProp, dataPropType: dpType, data, dataTypes, propertyName }) {
      if (data !== void 0 && dataProp !== void 0) {
        throw new Error('both "data" and "dataProp" passed, only one allowed');
      }
      const { gen } = it;
      if (dataProp !== void 0) {
        const { errorPath, dataPathArr, opts } = it;
        const nextData = gen.let("data", (0, codegen_1._)`${it.data}${(0, codegen_1.getProperty)(dataProp)}`, true);
        dataContextProps(nextData);
        subschema.errorPath = (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(dataProp, dpType, opts.jsPropertySyntax)}`;
        subschema.parentDataProperty = (0, codegen_1._)`${dataProp}`;
        subschema.dataPathArr = [...dataPathArr, subschema.parentDataProperty];
      }
      if (data !== void 0) {
        const nextData = data instanceof codegen_1.Name ? data : gen.let("data", data, true);
        dataContextProps(nextData);
        if (propertyName !== void 0)
          subschema.propertyName = propertyName;
      }
      if (dataTypes)
        subschema.dataTypes = dataTypes;
      function dataContextProps(_nextData) {
        subschema.data = _nextData;
        subschema.dataLevel = it.dataLevel + 1;
        subschema.dataTypes = [];
        it.definedProperties = /* @__PURE__ */ new Set();
        subschema.parentData = it.data;
        subschema.dataNames = [...it.dataNames, _nextData];
      }
    }
    exports.extendSubschemaData = extendSubschemaData;
    function extendSubschemaMode(subschema, { jtdDiscriminator, jtdMetadata, compositeRule, createErrors, allErrors }) {
      if (compositeRule !== void 0)
        subschema.compositeRule = compositeRule;
      if (createErrors !== void 0)
        subschema.createErrors = createErrors;
      if (allErrors !== void 0)
        subschema.allErrors = allErrors;
      subschema.jtdDiscriminator = jtdDiscriminator;
      subschema.jtdMetadata = jtdMetadata;
    }
    exports.extendSubschemaMode = extendSubschemaMode;
  }
});

// node_modules/fast-deep-equal/index.js
var require_fast_deep_equal = __commonJS({
  "node_modules/fast-deep-equal/index.js"(exports, module) {
    "use strict";
    module.exports = function equal(a, b) {
      if (a === b) return true;
      if (a && b && typeof a == "object" && typeof b == "object") {
        if (a.constructor !== b.constructor) return false;
        var length, i2, keys;
        if (Array.isArray(a)) {
          length = a.length;
          if (length != b.length) return false;
          for (i2 = length; i2-- !== 0; )
            if (!equal(a[i2], b[i2])) return false;
          return true;
        }
        if (a.constructor === RegExp) return a.source === b.source && a.flags === b.flags;
        if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
        if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
        keys = Object.keys(a);
        length = keys.length;
        if (length !== Object.keys(b).length) return false;
        for (i2 = length; i2-- !== 0; )
          if (!Object.prototype.hasOwnProperty.call(b, keys[i2])) return false;
        for (i2 = length; i2-- !== 0; ) {
          var key = keys[i2];
          if (!equal(a[key], b[key])) return false;
        }
        return true;
      }
      return a !== a && b !== b;
    };
  }
});

// node_modules/json-schema-traverse/index.js
var require_json_schema_traverse = __commonJS({
  "node_modules/json-schema-traverse/index.js"(exports, module) {
    "use strict";
    var traverse = module.exports = function(schema2, opts, cb) {
      if (typeof opts == "function") {
        cb = opts;
        opts = {};
      }
      cb = opts.cb || cb;
      var pre = typeof cb == "function" ? cb : cb.pre || function() {
      };
      var post = cb.post || function() {
      };
      _traverse(opts, pre, post, schema2, "", schema2);
    };
    traverse.keywords = {
      additionalItems: true,
      items: true,
      contains: true,
      additionalProperties: true,
      propertyNames: true,
      not: true,
      if: true,
      then: true,
      else: true
    };
    traverse.arrayKeywords = {
      items: true,
      allOf: true,
      anyOf: true,
      oneOf: true
    };
    traverse.propsKeywords = {
      $defs: true,
      definitions: true,
      properties: true,
      patternProperties: true,
      dependencies: true
    };
    traverse.skipKeywords = {
      default: true,
      enum: true,
      const: true,
      required: true,
      maximum: true,
      minimum: true,
      exclusiveMaximum: true,
      exclusiveMinimum: true,
      multipleOf: true,
      maxLength: true,
      minLength: true,
      pattern: true,
      format: true,
      maxItems: true,
      minItems: true,
      uniqueItems: true,
      maxProperties: true,
      minProperties: true
    };
    function _traverse(opts, pre, post, schema2, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex) {
      if (schema2 && typeof schema2 == "object" && !Array.isArray(schema2)) {
        pre(schema2, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
        for (var key in schema2) {
          var sch = schema2[key];
          if (Array.isArray(sch)) {
            if (key in traverse.arrayKeywords) {
              for (var i2 = 0; i2 < sch.length; i2++)
                _traverse(opts, pre, post, sch[i2], jsonPtr + "/" + key + "/" + i2, rootSchema, jsonPtr, key, schema2, i2);
            }
          } else if (key in traverse.propsKeywords) {
            if (sch && typeof sch == "object") {
              for (var prop in sch)
                _traverse(opts, pre, post, sch[prop], jsonPtr + "/" + key + "/" + escapeJsonPtr(prop), rootSchema, jsonPtr, key, schema2, prop);
            }
          } else if (key in traverse.keywords || opts.allKeys && !(key in traverse.skipKeywords)) {
            _traverse(opts, pre, post, sch, jsonPtr + "/" + key, rootSchema, jsonPtr, key, schema2);
          }
        }
        post(schema2, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
      }
    }
    function escapeJsonPtr(str2) {
      return str2.replace(/~/g, "~0").replace(/\//g, "~1");
    }
  }
});

// node_modules/ajv/dist/compile/resolve.js
var require_resolve = __commonJS({
  "node_modules/ajv/dist/compile/resolve.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getSchemaRefs = exports.resolveUrl = exports.normalizeId = exports._getFullPath = exports.getFullPath = exports.inlineRef = void 0;
    var util_1 = require_util2();
    var equal = require_fast_deep_equal();
    var traverse = require_json_schema_traverse();
    var SIMPLE_INLINED = /* @__PURE__ */ new Set([
      "type",
      "format",
      "pattern",
      "maxLength",
      "minLength",
      "maxProperties",
      "minProperties",
      "maxItems",
      "minItems",
      "maximum",
      "minimum",
      "uniqueItems",
      "multipleOf",
      "required",
      "enum",
      "const"
    ]);
    function inlineRef(schema2, limit = true) {
      if (typeof schema2 == "boolean")
        return true;
      if (limit === true)
        return !hasRef(schema2);
      if (!limit)
        return false;
      return countKeys(schema2) <= limit;
    }
    exports.inlineRef = inlineRef;
    var REF_KEYWORDS = /* @__PURE__ */ new Set([
      "$ref",
      "$recursiveRef",
      "$recursiveAnchor",
      "$dynamicRef",
      "$dynamicAnchor"
    ]);
    function hasRef(schema2) {
      for (const key in schema2) {
        if (REF_KEYWORDS.has(key))
          return true;
        const sch = schema2[key];
        if (Array.isArray(sch) && sch.some(hasRef))
          return true;
        if (typeof sch == "object" && hasRef(sch))
          return true;
      }
      return false;
    }
    function countKeys(schema2) {
      let count = 0;
      for (const key in schema2) {
        if (key === "$ref")
          return Infinity;
        count++;
        if (SIMPLE_INLINED.has(key))
          continue;
        if (typeof schema2[key] == "object") {
          (0, util_1.eachItem)(schema2[key], (sch) => count += countKeys(sch));
        }
        if (count === Infinity)
          return Infinity;
      }
      return count;
    }
    function getFullPath(resolver, id = "", normalize) {
      if (normalize !== false)
        id = normalizeId(id);
      const p = resolver.parse(id);
      return _getFullPath(resolver, p);
    }
    exports.getFullPath = getFullPath;
    function _getFullPath(resolver, p) {
      const serialized = resolver.serialize(p);
      return serialized.split("#")[0] + "#";
    }
    exports._getFullPath = _getFullPath;
    var TRAILING_SLASH_HASH = /#\/?$/;
    function normalizeId(id) {
      return id ? id.replace(TRAILING_SLASH_HASH, "") : "";
    }
    exports.normalizeId = normalizeId;
    function resolveUrl(resolver, baseId, id) {
      id = normalizeId(id);
      return resolver.resolve(baseId, id);
    }
    exports.resolveUrl = resolveUrl;
    var ANCHOR = /^[a-z_][-a-z0-9._]*$/i;
    function getSchemaRefs(schema2, baseId) {
      if (typeof schema2 == "boolean")
        return {};
      const { schemaId, uriResolver } = this.opts;
      const schId = normalizeId(schema2[schemaId] || baseId);
      const baseIds = { "": schId };
      const pathPrefix = getFullPath(uriResolver, schId, false);
      const localRefs = {};
      const schemaRefs = /* @__PURE__ */ new Set();
      traverse(schema2, { allKeys: true }, (sch, jsonPtr, _, parentJsonPtr) => {
        if (parentJsonPtr === void 0)
          return;
        const fullPath = pathPrefix + jsonPtr;
        let innerBaseId = baseIds[parentJsonPtr];
        if (typeof sch[schemaId] == "string")
          innerBaseId = addRef.call(this, sch[schemaId]);
        addAnchor.call(this, sch.$anchor);
        addAnchor.call(this, sch.$dynamicAnchor);
        baseIds[jsonPtr] = innerBaseId;
        function addRef(ref) {
          const _resolve = this.opts.uriResolver.resolve;
          ref = normalizeId(innerBaseId ? _resolve(innerBaseId, ref) : ref);
          if (schemaRefs.has(ref))
            throw ambiguos(ref);
          schemaRefs.add(ref);
          let schOrRef = this.refs[ref];
          if (typeof schOrRef == "string")
            schOrRef = this.refs[schOrRef];
          if (typeof schOrRef == "object") {
            checkAmbiguosRef(sch, schOrRef.schema, ref);
          } else if (ref !== normalizeId(fullPath)) {
            if (ref[0] === "#") {
              checkAmbiguosRef(sch, localRefs[ref], ref);
              localRefs[ref] = sch;
            } else {
              this.refs[ref] = fullPath;
            }
          }
          return ref;
        }
        function addAnchor(anchor) {
          if (typeof anchor == "string") {
            if (!ANCHOR.test(anchor))
              throw new Error(`invalid anchor "${anchor}"`);
            addRef.call(this, `#${anchor}`);
          }
        }
      });
      return localRefs;
      function checkAmbiguosRef(sch1, sch2, ref) {
        if (sch2 !== void 0 && !equal(sch1, sch2))
          throw ambiguos(ref);
      }
      function ambiguos(ref) {
        return new Error(`reference "${ref}" resolves to more than one schema`);
      }
    }
    exports.getSchemaRefs = getSchemaRefs;
  }
});

// node_modules/ajv/dist/compile/validate/index.js
var require_validate = __commonJS({
  "node_modules/ajv/dist/compile/validate/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getData = exports.KeywordCxt = exports.validateFunctionCode = void 0;
    var boolSchema_1 = require_boolSchema();
    var dataType_1 = require_dataType();
    var applicability_1 = require_applicability();
    var dataType_2 = require_dataType();
    var defaults_1 = require_defaults();
    var keyword_1 = require_keyword();
    var subschema_1 = require_subschema();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util2();
    var errors_1 = require_errors();
    function validateFunctionCode(it) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          topSchemaObjCode(it);
          return;
        }
      }
      validateFunction(it, () => (0, boolSchema_1.topBoolOrEmptySchema)(it));
    }
    exports.validateFunctionCode = validateFunctionCode;
    function validateFunction({ gen, validateName, schema: schema2, schemaEnv, opts }, body) {
      if (opts.code.es5) {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${names_1.default.valCxt}`, schemaEnv.$async, () => {
          gen.code((0, codegen_1._)`"use strict"; ${funcSourceUrl(schema2, opts)}`);
          destructureValCxtES5(gen, opts);
          gen.code(body);
        });
      } else {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${destructureValCxt(opts)}`, schemaEnv.$async, () => gen.code(funcSourceUrl(schema2, opts)).code(body));
      }
    }
    function destructureValCxt(opts) {
      return (0, codegen_1._)`{${names_1.default.instancePath}="", ${names_1.default.parentData}, ${names_1.default.parentDataProperty}, ${names_1.default.rootData}=${names_1.default.data}${opts.dynamicRef ? (0, codegen_1._)`, ${names_1.default.dynamicAnchors}={}` : codegen_1.nil}}={}`;
    }
    function destructureValCxtES5(gen, opts) {
      gen.if(names_1.default.valCxt, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.instancePath}`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentData}`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentDataProperty}`);
        gen.var(names_1.default.rootData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.rootData}`);
        if (opts.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.dynamicAnchors}`);
      }, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`""`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.rootData, names_1.default.data);
        if (opts.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`{}`);
      });
    }
    function topSchemaObjCode(it) {
      const { schema: schema2, opts, gen } = it;
      validateFunction(it, () => {
        if (opts.$comment && schema2.$comment)
          commentKeyword(it);
        checkNoDefault(it);
        gen.let(names_1.default.vErrors, null);
        gen.let(names_1.default.errors, 0);
        if (opts.unevaluated)
          resetEvaluated(it);
        typeAndKeywords(it);
        returnResults(it);
      });
      return;
    }
    function resetEvaluated(it) {
      const { gen, validateName } = it;
      it.evaluated = gen.const("evaluated", (0, codegen_1._)`${validateName}.evaluated`);
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicProps`, () => gen.assign((0, codegen_1._)`${it.evaluated}.props`, (0, codegen_1._)`undefined`));
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicItems`, () => gen.assign((0, codegen_1._)`${it.evaluated}.items`, (0, codegen_1._)`undefined`));
    }
    function funcSourceUrl(schema2, opts) {
      const schId = typeof schema2 == "object" && schema2[opts.schemaId];
      return schId && (opts.code.source || opts.code.process) ? (0, codegen_1._)`/*# sourceURL=${schId} */` : codegen_1.nil;
    }
    function subschemaCode(it, valid) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          subSchemaObjCode(it, valid);
          return;
        }
      }
      (0, boolSchema_1.boolOrEmptySchema)(it, valid);
    }
    function schemaCxtHasRules({ schema: schema2, self }) {
      if (typeof schema2 == "boolean")
        return !schema2;
      for (const key in schema2)
        if (self.RULES.all[key])
          return true;
      return false;
    }
    function isSchemaObj(it) {
      return typeof it.schema != "boolean";
    }
    function subSchemaObjCode(it, valid) {
      const { schema: schema2, gen, opts } = it;
      if (opts.$comment && schema2.$comment)
        commentKeyword(it);
      updateContext(it);
      checkAsyncSchema(it);
      const errsCount = gen.const("_errs", names_1.default.errors);
      typeAndKeywords(it, errsCount);
      gen.var(valid, (0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
    }
    function checkKeywords(it) {
      (0, util_1.checkUnknownRules)(it);
      checkRefsAndKeywords(it);
    }
    function typeAndKeywords(it, errsCount) {
      if (it.opts.jtd)
        return schemaKeywords(it, [], false, errsCount);
      const types3 = (0, dataType_1.getSchemaTypes)(it.schema);
      const checkedTypes = (0, dataType_1.coerceAndCheckDataType)(it, types3);
      schemaKeywords(it, types3, !checkedTypes, errsCount);
    }
    function checkRefsAndKeywords(it) {
      const { schema: schema2, errSchemaPath, opts, self } = it;
      if (schema2.$ref && opts.ignoreKeywordsWithRef && (0, util_1.schemaHasRulesButRef)(schema2, self.RULES)) {
        self.logger.warn(`$ref: keywords ignored in schema at path "${errSchemaPath}"`);
      }
    }
    function checkNoDefault(it) {
      const { schema: schema2, opts } = it;
      if (schema2.default !== void 0 && opts.useDefaults && opts.strictSchema) {
        (0, util_1.checkStrictMode)(it, "default is ignored in the schema root");
      }
    }
    function updateContext(it) {
      const schId = it.schema[it.opts.schemaId];
      if (schId)
        it.baseId = (0, resolve_1.resolveUrl)(it.opts.uriResolver, it.baseId, schId);
    }
    function checkAsyncSchema(it) {
      if (it.schema.$async && !it.schemaEnv.$async)
        throw new Error("async schema in sync schema");
    }
    function commentKeyword({ gen, schemaEnv, schema: schema2, errSchemaPath, opts }) {
      const msg = schema2.$comment;
      if (opts.$comment === true) {
        gen.code((0, codegen_1._)`${names_1.default.self}.logger.log(${msg})`);
      } else if (typeof opts.$comment == "function") {
        const schemaPath = (0, codegen_1.str)`${errSchemaPath}/$comment`;
        const rootName = gen.scopeValue("root", { ref: schemaEnv.root });
        gen.code((0, codegen_1._)`${names_1.default.self}.opts.$comment(${msg}, ${schemaPath}, ${rootName}.schema)`);
      }
    }
    function returnResults(it) {
      const { gen, schemaEnv, validateName, ValidationError, opts } = it;
      if (schemaEnv.$async) {
        gen.if((0, codegen_1._)`${names_1.default.errors} === 0`, () => gen.return(names_1.default.data), () => gen.throw((0, codegen_1._)`new ${ValidationError}(${names_1.default.vErrors})`));
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, names_1.default.vErrors);
        if (opts.unevaluated)
          assignEvaluated(it);
        gen.return((0, codegen_1._)`${names_1.default.errors} === 0`);
      }
    }
    function assignEvaluated({ gen, evaluated, props, items }) {
      if (props instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.props`, props);
      if (items instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.items`, items);
    }
    function schemaKeywords(it, types3, typeErrors, errsCount) {
      const { gen, schema: schema2, data, allErrors, opts, self } = it;
      const { RULES } = self;
      if (schema2.$ref && (opts.ignoreKeywordsWithRef || !(0, util_1.schemaHasRulesButRef)(schema2, RULES))) {
        gen.block(() => keywordCode(it, "$ref", RULES.all.$ref.definition));
        return;
      }
      if (!opts.jtd)
        checkStrictTypes(it, types3);
      gen.block(() => {
        for (const group of RULES.rules)
          groupKeywords(group);
        groupKeywords(RULES.post);
      });
      function groupKeywords(group) {
        if (!(0, applicability_1.shouldUseGroup)(schema2, group))
          return;
        if (group.type) {
          gen.if((0, dataType_2.checkDataType)(group.type, data, opts.strictNumbers));
          iterateKeywords(it, group);
          if (types3.length === 1 && types3[0] === group.type && typeErrors) {
            gen.else();
            (0, dataType_2.reportTypeError)(it);
          }
          gen.endIf();
        } else {
          iterateKeywords(it, group);
        }
        if (!allErrors)
          gen.if((0, codegen_1._)`${names_1.default.errors} === ${errsCount || 0}`);
      }
    }
    function iterateKeywords(it, group) {
      const { gen, schema: schema2, opts: { useDefaults } } = it;
      if (useDefaults)
        (0, defaults_1.assignDefaults)(it, group.type);
      gen.block(() => {
        for (const rule41 of group.rules) {
          if ((0, applicability_1.shouldUseRule)(schema2, rule41)) {
            keywordCode(it, rule41.keyword, rule41.definition, group.type);
          }
        }
      });
    }
    function checkStrictTypes(it, types3) {
      if (it.schemaEnv.meta || !it.opts.strictTypes)
        return;
      checkContextTypes(it, types3);
      if (!it.opts.allowUnionTypes)
        checkMultipleTypes(it, types3);
      checkKeywordTypes(it, it.dataTypes);
    }
    function checkContextTypes(it, types3) {
      if (!types3.length)
        return;
      if (!it.dataTypes.length) {
        it.dataTypes = types3;
        return;
      }
      types3.forEach((t) => {
        if (!includesType(it.dataTypes, t)) {
          strictTypesError(it, `type "${t}" not allowed by context "${it.dataTypes.join(",")}"`);
        }
      });
      narrowSchemaTypes(it, types3);
    }
    function checkMultipleTypes(it, ts) {
      if (ts.length > 1 && !(ts.length === 2 && ts.includes("null"))) {
        strictTypesError(it, "use allowUnionTypes to allow union type keyword");
      }
    }
    function checkKeywordTypes(it, ts) {
      const rules = it.self.RULES.all;
      for (const keyword in rules) {
        const rule41 = rules[keyword];
        if (typeof rule41 == "object" && (0, applicability_1.shouldUseRule)(it.schema, rule41)) {
          const { type: type2 } = rule41.definition;
          if (type2.length && !type2.some((t) => hasApplicableType(ts, t))) {
            strictTypesError(it, `missing type "${type2.join(",")}" for keyword "${keyword}"`);
          }
        }
      }
    }
    function hasApplicableType(schTs, kwdT) {
      return schTs.includes(kwdT) || kwdT === "number" && schTs.includes("integer");
    }
    function includesType(ts, t) {
      return ts.includes(t) || t === "integer" && ts.includes("number");
    }
    function narrowSchemaTypes(it, withTypes) {
      const ts = [];
      for (const t of it.dataTypes) {
        if (includesType(withTypes, t))
          ts.push(t);
        else if (withTypes.includes("integer") && t === "number")
          ts.push("integer");
      }
      it.dataTypes = ts;
    }
    function strictTypesError(it, msg) {
      const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
      msg += ` at "${schemaPath}" (strictTypes)`;
      (0, util_1.checkStrictMode)(it, msg, it.opts.strictTypes);
    }
    var KeywordCxt = class {
      constructor(it, def, keyword) {
        (0, keyword_1.validateKeywordUsage)(it, def, keyword);
        this.gen = it.gen;
        this.allErrors = it.allErrors;
        this.keyword = keyword;
        this.data = it.data;
        this.schema = it.schema[keyword];
        this.$data = def.$data && it.opts.$data && this.schema && this.schema.$data;
        this.schemaValue = (0, util_1.schemaRefOrVal)(it, this.schema, keyword, this.$data);
        this.schemaType = def.schemaType;
        this.parentSchema = it.schema;
        this.params = {};
        this.it = it;
        this.def = def;
        if (this.$data) {
          this.schemaCode = it.gen.const("vSchema", getData(this.$data, it));
        } else {
          this.schemaCode = this.schemaValue;
          if (!(0, keyword_1.validSchemaType)(this.schema, def.schemaType, def.allowUndefined)) {
            throw new Error(`${keyword} value must be ${JSON.stringify(def.schemaType)}`);
          }
        }
        if ("code" in def ? def.trackErrors : def.errors !== false) {
          this.errsCount = it.gen.const("_errs", names_1.default.errors);
        }
      }
      result(condition, successAction, failAction) {
        this.failResult((0, codegen_1.not)(condition), successAction, failAction);
      }
      failResult(condition, successAction, failAction) {
        this.gen.if(condition);
        if (failAction)
          failAction();
        else
          this.error();
        if (successAction) {
          this.gen.else();
          successAction();
          if (this.allErrors)
            this.gen.endIf();
        } else {
          if (this.allErrors)
            this.gen.endIf();
          else
            this.gen.else();
        }
      }
      pass(condition, failAction) {
        this.failResult((0, codegen_1.not)(condition), void 0, failAction);
      }
      fail(condition) {
        if (condition === void 0) {
          this.error();
          if (!this.allErrors)
            this.gen.if(false);
          return;
        }
        this.gen.if(condition);
        this.error();
        if (this.allErrors)
          this.gen.endIf();
        else
          this.gen.else();
      }
      fail$data(condition) {
        if (!this.$data)
          return this.fail(condition);
        const { schemaCode } = this;
        this.fail((0, codegen_1._)`${schemaCode} !== undefined && (${(0, codegen_1.or)(this.invalid$data(), condition)})`);
      }
      error(append, errorParams, errorPaths) {
        if (errorParams) {
          this.setParams(errorParams);
          this._error(append, errorPaths);
          this.setParams({});
          return;
        }
        this._error(append, errorPaths);
      }
      _error(append, errorPaths) {
        ;
        (append ? errors_1.reportExtraError : errors_1.reportError)(this, this.def.error, errorPaths);
      }
      $dataError() {
        (0, errors_1.reportError)(this, this.def.$dataError || errors_1.keyword$DataError);
      }
      reset() {
        if (this.errsCount === void 0)
          throw new Error('add "trackErrors" to keyword definition');
        (0, errors_1.resetErrorsCount)(this.gen, this.errsCount);
      }
      ok(cond) {
        if (!this.allErrors)
          this.gen.if(cond);
      }
      setParams(obj, assign) {
        if (assign)
          Object.assign(this.params, obj);
        else
          this.params = obj;
      }
      block$data(valid, codeBlock, $dataValid = codegen_1.nil) {
        this.gen.block(() => {
          this.check$data(valid, $dataValid);
          codeBlock();
        });
      }
      check$data(valid = codegen_1.nil, $dataValid = codegen_1.nil) {
        if (!this.$data)
          return;
        const { gen, schemaCode, schemaType, def } = this;
        gen.if((0, codegen_1.or)((0, codegen_1._)`${schemaCode} === undefined`, $dataValid));
        if (valid !== codegen_1.nil)
          gen.assign(valid, true);
        if (schemaType.length || def.validateSchema) {
          gen.elseIf(this.invalid$data());
          this.$dataError();
          if (valid !== codegen_1.nil)
            gen.assign(valid, false);
        }
        gen.else();
      }
      invalid$data() {
        const { gen, schemaCode, schemaType, def, it } = this;
        return (0, codegen_1.or)(wrong$DataType(), invalid$DataSchema());
        function wrong$DataType() {
          if (schemaType.length) {
            if (!(schemaCode instanceof codegen_1.Name))
              throw new Error("ajv implementation error");
            const st = Array.isArray(schemaType) ? schemaType : [schemaType];
            return (0, codegen_1._)`${(0, dataType_2.checkDataTypes)(st, schemaCode, it.opts.strictNumbers, dataType_2.DataType.Wrong)}`;
          }
          return codegen_1.nil;
        }
        function invalid$DataSchema() {
          if (def.validateSchema) {
            const validateSchemaRef = gen.scopeValue("validate$data", { ref: def.validateSchema });
            return (0, codegen_1._)`!${validateSchemaRef}(${schemaCode})`;
          }
          return codegen_1.nil;
        }
      }
      subschema(appl, valid) {
        const subschema = (0, subschema_1.getSubschema)(this.it, appl);
        (0, subschema_1.extendSubschemaData)(subschema, this.it, appl);
        (0, subschema_1.extendSubschemaMode)(subschema, appl);
        const nextContext = { ...this.it, ...subschema, items: void 0, props: void 0 };
        subschemaCode(nextContext, valid);
        return nextContext;
      }
      mergeEvaluated(schemaCxt, toName) {
        const { it, gen } = this;
        if (!it.opts.unevaluated)
          return;
        if (it.props !== true && schemaCxt.props !== void 0) {
          it.props = util_1.mergeEvaluated.props(gen, schemaCxt.props, it.props, toName);
        }
        if (it.items !== true && schemaCxt.items !== void 0) {
          it.items = util_1.mergeEvaluated.items(gen, schemaCxt.items, it.items, toName);
        }
      }
      mergeValidEvaluated(schemaCxt, valid) {
        const { it, gen } = this;
        if (it.opts.unevaluated && (it.props !== true || it.items !== true)) {
          gen.if(valid, () => this.mergeEvaluated(schemaCxt, codegen_1.Name));
          return true;
        }
      }
    };
    exports.KeywordCxt = KeywordCxt;
    function keywordCode(it, keyword, def, ruleType) {
      const cxt = new KeywordCxt(it, def, keyword);
      if ("code" in def) {
        def.code(cxt, ruleType);
      } else if (cxt.$data && def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      } else if ("macro" in def) {
        (0, keyword_1.macroKeywordCode)(cxt, def);
      } else if (def.compile || def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      }
    }
    var JSON_POINTER = /^\/(?:[^~]|~0|~1)*$/;
    var RELATIVE_JSON_POINTER = /^([0-9]+)(#|\/(?:[^~]|~0|~1)*)?$/;
    function getData($data, { dataLevel, dataNames, dataPathArr }) {
      let jsonPointer;
      let data;
      if ($data === "")
        return names_1.default.rootData;
      if ($data[0] === "/") {
        if (!JSON_POINTER.test($data))
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        jsonPointer = $data;
        data = names_1.default.rootData;
      } else {
        const matches = RELATIVE_JSON_POINTER.exec($data);
        if (!matches)
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        const up = +matches[1];
        jsonPointer = matches[2];
        if (jsonPointer === "#") {
          if (up >= dataLevel)
            throw new Error(errorMsg("property/index", up));
          return dataPathArr[dataLevel - up];
        }
        if (up > dataLevel)
          throw new Error(errorMsg("data", up));
        data = dataNames[dataLevel - up];
        if (!jsonPointer)
          return data;
      }
      let expr = data;
      const segments = jsonPointer.split("/");
      for (const segment of segments) {
        if (segment) {
          data = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)((0, util_1.unescapeJsonPointer)(segment))}`;
          expr = (0, codegen_1._)`${expr} && ${data}`;
        }
      }
      return expr;
      function errorMsg(pointerType, up) {
        return `Cannot access ${pointerType} ${up} levels up, current level is ${dataLevel}`;
      }
    }
    exports.getData = getData;
  }
});

// node_modules/ajv/dist/runtime/validation_error.js
var require_validation_error = __commonJS({
  "node_modules/ajv/dist/runtime/validation_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var ValidationError = class extends Error {
      constructor(errors) {
        super("validation failed");
        this.errors = errors;
        this.ajv = this.validation = true;
      }
    };
    exports.default = ValidationError;
  }
});

// node_modules/ajv/dist/compile/ref_error.js
var require_ref_error = __commonJS({
  "node_modules/ajv/dist/compile/ref_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var resolve_1 = require_resolve();
    var MissingRefError = class extends Error {
      constructor(resolver, baseId, ref, msg) {
        super(msg || `can't resolve reference ${ref} from id ${baseId}`);
        this.missingRef = (0, resolve_1.resolveUrl)(resolver, baseId, ref);
        this.missingSchema = (0, resolve_1.normalizeId)((0, resolve_1.getFullPath)(resolver, this.missingRef));
      }
    };
    exports.default = MissingRefError;
  }
});

// node_modules/ajv/dist/compile/index.js
var require_compile = __commonJS({
  "node_modules/ajv/dist/compile/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.resolveSchema = exports.getCompilingSchema = exports.resolveRef = exports.compileSchema = exports.SchemaEnv = void 0;
    var codegen_1 = require_codegen();
    var validation_error_1 = require_validation_error();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util2();
    var validate_1 = require_validate();
    var SchemaEnv = class {
      constructor(env) {
        var _a;
        this.refs = {};
        this.dynamicAnchors = {};
        let schema2;
        if (typeof env.schema == "object")
          schema2 = env.schema;
        this.schema = env.schema;
        this.schemaId = env.schemaId;
        this.root = env.root || this;
        this.baseId = (_a = env.baseId) !== null && _a !== void 0 ? _a : (0, resolve_1.normalizeId)(schema2 === null || schema2 === void 0 ? void 0 : schema2[env.schemaId || "$id"]);
        this.schemaPath = env.schemaPath;
        this.localRefs = env.localRefs;
        this.meta = env.meta;
        this.$async = schema2 === null || schema2 === void 0 ? void 0 : schema2.$async;
        this.refs = {};
      }
    };
    exports.SchemaEnv = SchemaEnv;
    function compileSchema(sch) {
      const _sch = getCompilingSchema.call(this, sch);
      if (_sch)
        return _sch;
      const rootId = (0, resolve_1.getFullPath)(this.opts.uriResolver, sch.root.baseId);
      const { es5, lines } = this.opts.code;
      const { ownProperties } = this.opts;
      const gen = new codegen_1.CodeGen(this.scope, { es5, lines, ownProperties });
      let _ValidationError;
      if (sch.$async) {
        _ValidationError = gen.scopeValue("Error", {
          ref: validation_error_1.default,
          code: (0, codegen_1._)`require("ajv/dist/runtime/validation_error").default`
        });
      }
      const validateName = gen.scopeName("validate");
      sch.validateName = validateName;
      const schemaCxt = {
        gen,
        allErrors: this.opts.allErrors,
        data: names_1.default.data,
        parentData: names_1.default.parentData,
        parentDataProperty: names_1.default.parentDataProperty,
        dataNames: [names_1.default.data],
        dataPathArr: [codegen_1.nil],
        // TODO can its length be used as dataLevel if nil is removed?
        dataLevel: 0,
        dataTypes: [],
        definedProperties: /* @__PURE__ */ new Set(),
        topSchemaRef: gen.scopeValue("schema", this.opts.code.source === true ? { ref: sch.schema, code: (0, codegen_1.stringify)(sch.schema) } : { ref: sch.schema }),
        validateName,
        ValidationError: _ValidationError,
        schema: sch.schema,
        schemaEnv: sch,
        rootId,
        baseId: sch.baseId || rootId,
        schemaPath: codegen_1.nil,
        errSchemaPath: sch.schemaPath || (this.opts.jtd ? "" : "#"),
        errorPath: (0, codegen_1._)`""`,
        opts: this.opts,
        self: this
      };
      let sourceCode;
      try {
        this._compilations.add(sch);
        (0, validate_1.validateFunctionCode)(schemaCxt);
        gen.optimize(this.opts.code.optimize);
        const validateCode = gen.toString();
        sourceCode = `${gen.scopeRefs(names_1.default.scope)}return ${validateCode}`;
        if (this.opts.code.process)
          sourceCode = this.opts.code.process(sourceCode, sch);
        const makeValidate = new Function(`${names_1.default.self}`, `${names_1.default.scope}`, sourceCode);
        const validate = makeValidate(this, this.scope.get());
        this.scope.value(validateName, { ref: validate });
        validate.errors = null;
        validate.schema = sch.schema;
        validate.schemaEnv = sch;
        if (sch.$async)
          validate.$async = true;
        if (this.opts.code.source === true) {
          validate.source = { validateName, validateCode, scopeValues: gen._values };
        }
        if (this.opts.unevaluated) {
          const { props, items } = schemaCxt;
          validate.evaluated = {
            props: props instanceof codegen_1.Name ? void 0 : props,
            items: items instanceof codegen_1.Name ? void 0 : items,
            dynamicProps: props instanceof codegen_1.Name,
            dynamicItems: items instanceof codegen_1.Name
          };
          if (validate.source)
            validate.source.evaluated = (0, codegen_1.stringify)(validate.evaluated);
        }
        sch.validate = validate;
        return sch;
      } catch (e) {
        delete sch.validate;
        delete sch.validateName;
        if (sourceCode)
          this.logger.error("Error compiling schema, function code:", sourceCode);
        throw e;
      } finally {
        this._compilations.delete(sch);
      }
    }
    exports.compileSchema = compileSchema;
    function resolveRef(root, baseId, ref) {
      var _a;
      ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, ref);
      const schOrFunc = root.refs[ref];
      if (schOrFunc)
        return schOrFunc;
      let _sch = resolve8.call(this, root, ref);
      if (_sch === void 0) {
        const schema2 = (_a = root.localRefs) === null || _a === void 0 ? void 0 : _a[ref];
        const { schemaId } = this.opts;
        if (schema2)
          _sch = new SchemaEnv({ schema: schema2, schemaId, root, baseId });
      }
      if (_sch === void 0)
        return;
      return root.refs[ref] = inlineOrCompile.call(this, _sch);
    }
    exports.resolveRef = resolveRef;
    function inlineOrCompile(sch) {
      if ((0, resolve_1.inlineRef)(sch.schema, this.opts.inlineRefs))
        return sch.schema;
      return sch.validate ? sch : compileSchema.call(this, sch);
    }
    function getCompilingSchema(schEnv) {
      for (const sch of this._compilations) {
        if (sameSchemaEnv(sch, schEnv))
          return sch;
      }
    }
    exports.getCompilingSchema = getCompilingSchema;
    function sameSchemaEnv(s1, s2) {
      return s1.schema === s2.schema && s1.root === s2.root && s1.baseId === s2.baseId;
    }
    function resolve8(root, ref) {
      let sch;
      while (typeof (sch = this.refs[ref]) == "string")
        ref = sch;
      return sch || this.schemas[ref] || resolveSchema.call(this, root, ref);
    }
    function resolveSchema(root, ref) {
      const p = this.opts.uriResolver.parse(ref);
      const refPath = (0, resolve_1._getFullPath)(this.opts.uriResolver, p);
      let baseId = (0, resolve_1.getFullPath)(this.opts.uriResolver, root.baseId, void 0);
      if (Object.keys(root.schema).length > 0 && refPath === baseId) {
        return getJsonPointer.call(this, p, root);
      }
      const id = (0, resolve_1.normalizeId)(refPath);
      const schOrRef = this.refs[id] || this.schemas[id];
      if (typeof schOrRef == "string") {
        const sch = resolveSchema.call(this, root, schOrRef);
        if (typeof (sch === null || sch === void 0 ? void 0 : sch.schema) !== "object")
          return;
        return getJsonPointer.call(this, p, sch);
      }
      if (typeof (schOrRef === null || schOrRef === void 0 ? void 0 : schOrRef.schema) !== "object")
        return;
      if (!schOrRef.validate)
        compileSchema.call(this, schOrRef);
      if (id === (0, resolve_1.normalizeId)(ref)) {
        const { schema: schema2 } = schOrRef;
        const { schemaId } = this.opts;
        const schId = schema2[schemaId];
        if (schId)
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        return new SchemaEnv({ schema: schema2, schemaId, root, baseId });
      }
      return getJsonPointer.call(this, p, schOrRef);
    }
    exports.resolveSchema = resolveSchema;
    var PREVENT_SCOPE_CHANGE = /* @__PURE__ */ new Set([
      "properties",
      "patternProperties",
      "enum",
      "dependencies",
      "definitions"
    ]);
    function getJsonPointer(parsedRef, { baseId, schema: schema2, root }) {
      var _a;
      if (((_a = parsedRef.fragment) === null || _a === void 0 ? void 0 : _a[0]) !== "/")
        return;
      for (const part of parsedRef.fragment.slice(1).split("/")) {
        if (typeof schema2 === "boolean")
          return;
        const partSchema = schema2[(0, util_1.unescapeFragment)(part)];
        if (partSchema === void 0)
          return;
        schema2 = partSchema;
        const schId = typeof schema2 === "object" && schema2[this.opts.schemaId];
        if (!PREVENT_SCOPE_CHANGE.has(part) && schId) {
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        }
      }
      let env;
      if (typeof schema2 != "boolean" && schema2.$ref && !(0, util_1.schemaHasRulesButRef)(schema2, this.RULES)) {
        const $ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schema2.$ref);
        env = resolveSchema.call(this, root, $ref);
      }
      const { schemaId } = this.opts;
      env = env || new SchemaEnv({ schema: schema2, schemaId, root, baseId });
      if (env.schema !== env.root.schema)
        return env;
      return void 0;
    }
  }
});

// node_modules/ajv/dist/refs/data.json
var require_data = __commonJS({
  "node_modules/ajv/dist/refs/data.json"(exports, module) {
    module.exports = {
      $id: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#",
      description: "Meta-schema for $data reference (JSON AnySchema extension proposal)",
      type: "object",
      required: ["$data"],
      properties: {
        $data: {
          type: "string",
          anyOf: [{ format: "relative-json-pointer" }, { format: "json-pointer" }]
        }
      },
      additionalProperties: false
    };
  }
});

// node_modules/fast-uri/lib/utils.js
var require_utils2 = __commonJS({
  "node_modules/fast-uri/lib/utils.js"(exports, module) {
    "use strict";
    var isUUID = RegExp.prototype.test.bind(/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/iu);
    var isIPv42 = RegExp.prototype.test.bind(/^(?:(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)$/u);
    var isPort = RegExp.prototype.test.bind(/^\d*$/u);
    var isHexPair = RegExp.prototype.test.bind(/^[\da-f]{2}$/iu);
    var isUnreserved = RegExp.prototype.test.bind(/^[\da-z\-._~]$/iu);
    var isPathCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/u);
    var isQueryFragmentCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/u);
    var isUserinfoCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:]$/u);
    var BYTE_HEX = new Array(256);
    {
      const HEX_DIGITS = "0123456789ABCDEF";
      for (let i2 = 0; i2 < 256; i2++) {
        BYTE_HEX[i2] = "%" + HEX_DIGITS[i2 >> 4] + HEX_DIGITS[i2 & 15];
      }
    }
    function percentEncodeNonAscii(cp) {
      if (cp < 2048) {
        return BYTE_HEX[192 | cp >> 6] + BYTE_HEX[128 | cp & 63];
      }
      if (cp < 65536) {
        return BYTE_HEX[224 | cp >> 12] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
      }
      return BYTE_HEX[240 | cp >> 18] + BYTE_HEX[128 | cp >> 12 & 63] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
    }
    function stringArrayToHexStripped(input) {
      let acc = "";
      let code2 = 0;
      let i2 = 0;
      for (i2 = 0; i2 < input.length; i2++) {
        code2 = input[i2].charCodeAt(0);
        if (code2 === 48) {
          continue;
        }
        if (!(code2 >= 48 && code2 <= 57 || code2 >= 65 && code2 <= 70 || code2 >= 97 && code2 <= 102)) {
          return "";
        }
        acc += input[i2];
        break;
      }
      for (i2 += 1; i2 < input.length; i2++) {
        code2 = input[i2].charCodeAt(0);
        if (!(code2 >= 48 && code2 <= 57 || code2 >= 65 && code2 <= 70 || code2 >= 97 && code2 <= 102)) {
          return "";
        }
        acc += input[i2];
      }
      return acc;
    }
    var isHextet = RegExp.prototype.test.bind(/^[\dA-Fa-f]{1,4}$/);
    var isIPvFuture = RegExp.prototype.test.bind(/^[vV][\dA-Fa-f]+\.[A-Za-z\d\-._~!$&'()*+,;=:]+$/);
    var isZoneCharacter = RegExp.prototype.test.bind(/^[A-Za-z\d\-._~]$/);
    var nonSimpleDomain = RegExp.prototype.test.bind(/[^!"$&'()*+,\-.;=_`a-z{}~]/u);
    function isZoneIdentifier(zone) {
      if (zone.length === 0) return false;
      for (let i2 = 0; i2 < zone.length; i2++) {
        if (isZoneCharacter(zone[i2])) continue;
        if (zone[i2] === "%" && i2 + 2 < zone.length && isHexPair(zone.slice(i2 + 1, i2 + 3))) {
          i2 += 2;
          continue;
        }
        return false;
      }
      return true;
    }
    function compressIPv6ZeroRun(hextets) {
      let bestStart = -1;
      let bestLength = 0;
      let runStart = -1;
      let runLength = 0;
      for (let i2 = 0; i2 < hextets.length; i2++) {
        if (hextets[i2] === "0") {
          if (runStart === -1) runStart = i2;
          runLength++;
          if (runLength > bestLength) {
            bestLength = runLength;
            bestStart = runStart;
          }
        } else {
          runStart = -1;
          runLength = 0;
        }
      }
      if (bestLength < 2) return hextets.join(":");
      const head2 = hextets.slice(0, bestStart).join(":");
      const tail = hextets.slice(bestStart + bestLength).join(":");
      return head2 + "::" + tail;
    }
    function normalizeIPv6Address(input) {
      const compression = input.indexOf("::");
      if (compression !== -1 && input.indexOf("::", compression + 1) !== -1) return void 0;
      const left = compression === -1 ? input.split(":") : input.slice(0, compression).split(":");
      const right = compression === -1 ? [] : input.slice(compression + 2).split(":");
      if (compression !== -1) {
        if (left.length === 1 && left[0] === "") left.length = 0;
        if (right.length === 1 && right[0] === "") right.length = 0;
      }
      const parts = left.concat(right);
      let hextetCount = 0;
      for (let i2 = 0; i2 < parts.length; i2++) {
        const part = parts[i2];
        if (part === "") return void 0;
        if (part.indexOf(".") !== -1) {
          if (i2 !== parts.length - 1 || compression !== -1 && right.length === 0 || !isIPv42(part)) return void 0;
          hextetCount += 2;
          continue;
        }
        if (!isHextet(part)) return void 0;
        parts[i2] = parseInt(part, 16).toString(16);
        hextetCount++;
      }
      if (compression === -1) {
        if (hextetCount !== 8) return void 0;
        return compressIPv6ZeroRun(parts);
      }
      if (hextetCount >= 8) return void 0;
      const expanded = parts.slice(0, left.length);
      for (let i2 = hextetCount; i2 < 8; i2++) expanded.push("0");
      for (let i2 = left.length; i2 < parts.length; i2++) expanded.push(parts[i2]);
      return compressIPv6ZeroRun(expanded);
    }
    function normalizeIPv6(host) {
      const bracketed = host[0] === "[" && host[host.length - 1] === "]";
      const hasBracket = host[0] === "[" || host[host.length - 1] === "]";
      if (hasBracket && !bracketed) return { host, isIPV6: false, error: true };
      let input = bracketed ? host.slice(1, -1) : host;
      if (bracketed && isIPvFuture(input)) {
        input = input.toLowerCase();
        return { host: `[${input}]`, escapedHost: input, isIPV6: false, isIPVFuture: true };
      }
      if (findToken(input, ":") < 2) {
        return { host, isIPV6: false, error: bracketed };
      }
      let zoneIdentifier = "";
      const zoneSeparator = input.indexOf("%");
      if (zoneSeparator !== -1) {
        const separatorLength = input.slice(zoneSeparator, zoneSeparator + 3).toLowerCase() === "%25" ? 3 : 1;
        zoneIdentifier = input.slice(zoneSeparator + separatorLength);
        if (!isZoneIdentifier(zoneIdentifier)) return { host, isIPV6: false, error: true };
        input = input.slice(0, zoneSeparator);
      }
      const address = normalizeIPv6Address(input);
      if (address === void 0) return { host, isIPV6: false, error: true };
      return {
        host: address + (zoneIdentifier ? "%" + zoneIdentifier : ""),
        escapedHost: address + (zoneIdentifier ? "%25" + zoneIdentifier : ""),
        isIPV6: true
      };
    }
    function findToken(str2, token) {
      let ind = 0;
      for (let i2 = 0; i2 < str2.length; i2++) {
        if (str2[i2] === token) ind++;
      }
      return ind;
    }
    function removeDotSegments(path) {
      let input = path;
      const output = [];
      let nextSlash = -1;
      let len = 0;
      while (len = input.length) {
        if (len === 1) {
          if (input === ".") {
            break;
          } else if (input === "/") {
            output.push("/");
            break;
          } else {
            output.push(input);
            break;
          }
        } else if (len === 2) {
          if (input[0] === ".") {
            if (input[1] === ".") {
              break;
            } else if (input[1] === "/") {
              input = input.slice(2);
              continue;
            }
          } else if (input[0] === "/") {
            if (input[1] === "." || input[1] === "/") {
              output.push("/");
              break;
            }
          }
        } else if (len === 3) {
          if (input === "/..") {
            if (output.length !== 0) {
              output.pop();
            }
            output.push("/");
            break;
          }
        }
        if (input[0] === ".") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(3);
              continue;
            }
          } else if (input[1] === "/") {
            input = input.slice(2);
            continue;
          }
        } else if (input[0] === "/") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(2);
              continue;
            } else if (input[2] === ".") {
              if (input[3] === "/") {
                input = input.slice(3);
                if (output.length !== 0) {
                  output.pop();
                }
                continue;
              }
            }
          }
        }
        if ((nextSlash = input.indexOf("/", 1)) === -1) {
          output.push(input);
          break;
        } else {
          output.push(input.slice(0, nextSlash));
          input = input.slice(nextSlash);
        }
      }
      return output.join("");
    }
    function removeDotSegmentsRelative(path) {
      if (path === "" || path[0] === "/") {
        return removeDotSegments(path);
      }
      const segments = path.split("/");
      const last = segments.length - 1;
      const output = [];
      let trailingDirectory = false;
      for (let i2 = 0; i2 <= last; i2++) {
        const segment = segments[i2];
        if (segment === "." || segment === "..") {
          if (segment === "..") {
            if (output.length !== 0 && output[output.length - 1] !== "..") {
              output.pop();
            } else {
              output.push("..");
            }
          }
          trailingDirectory = i2 === last;
        } else {
          output.push(segment);
        }
      }
      if (trailingDirectory && output[output.length - 1] !== "..") {
        output.push("");
      }
      if (output.length === 0 || output[0] === "" || output[0].includes(":")) {
        output.unshift(".");
      }
      return output.join("/");
    }
    var HOST_DELIMS = { "@": "%40", "/": "%2F", "?": "%3F", "#": "%23", ":": "%3A" };
    var HOST_DELIM_RE = /[@/?#:]/g;
    var HOST_DELIM_NO_COLON_RE = /[@/?#]/g;
    function reescapeHostDelimiters(host, isIP) {
      const re = isIP ? HOST_DELIM_NO_COLON_RE : HOST_DELIM_RE;
      re.lastIndex = 0;
      return host.replace(re, (ch) => HOST_DELIMS[ch]);
    }
    function normalizePercentEncoding(input, decodeUnreserved = false) {
      if (input.indexOf("%") === -1) {
        return input;
      }
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        if (input[i2] === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decodeUnreserved && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        output += input[i2];
      }
      return output;
    }
    function normalizePathEncoding(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decoded !== "." && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        if (isPathCharacter(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i2);
          if (code2 < 128) {
            output += isEscapeSafe(code2) ? ch : BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function serializePathEncoding(input, pathNoScheme = false) {
      let output = "";
      let firstSegment = pathNoScheme && input[0] !== "/";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        if (ch === "/") {
          firstSegment = false;
        }
        if (isPathCharacter(ch) && (ch !== ":" || !firstSegment)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i2);
          if (code2 < 128) {
            output += BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeComponent(input, isAllowed) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        if (isAllowed(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i2);
          if (code2 < 128) {
            output += BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeUserinfo(input) {
      return encodeComponent(input, isUserinfoCharacter);
    }
    function encodeQuery(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function encodeFragment(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function isEscapeSafe(cp) {
      return cp >= 48 && cp <= 57 || cp >= 65 && cp <= 90 || cp >= 97 && cp <= 122 || cp === 42 || cp === 43 || cp === 45 || cp === 46 || cp === 47 || cp === 64 || cp === 95;
    }
    function normalizeQueryFragmentEncoding(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        if (isQueryFragmentCharacter(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i2);
          if (code2 < 128) {
            output += isEscapeSafe(code2) ? ch : BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function escapePreservingEscapes(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        if (input[i2] === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        output += escape(input[i2]);
      }
      return output;
    }
    function recomposeAuthority(component) {
      const uriTokens = [];
      if (component.userinfo !== void 0) {
        uriTokens.push(encodeUserinfo(component.userinfo));
        uriTokens.push("@");
      }
      if (component.host !== void 0) {
        let host = component.host;
        if (!isIPv42(host)) {
          let ipV6res = normalizeIPv6(host);
          if (ipV6res.isIPV6 !== true && ipV6res.isIPVFuture !== true) {
            host = normalizePercentEncoding(host, true);
            ipV6res = normalizeIPv6(host);
          }
          if (ipV6res.isIPV6 === true || ipV6res.isIPVFuture === true) {
            host = `[${ipV6res.escapedHost}]`;
          } else {
            host = reescapeHostDelimiters(host, false);
          }
        }
        uriTokens.push(host);
      }
      if (typeof component.port === "number" || typeof component.port === "string") {
        const port = String(component.port);
        if (!isPort(port)) {
          throw new TypeError("URI port is malformed.");
        }
        uriTokens.push(":");
        uriTokens.push(port);
      }
      return uriTokens.length ? uriTokens.join("") : void 0;
    }
    module.exports = {
      nonSimpleDomain,
      recomposeAuthority,
      reescapeHostDelimiters,
      normalizePercentEncoding,
      normalizePathEncoding,
      serializePathEncoding,
      normalizeQueryFragmentEncoding,
      encodeUserinfo,
      encodeQuery,
      encodeFragment,
      escapePreservingEscapes,
      removeDotSegments,
      removeDotSegmentsRelative,
      isIPv4: isIPv42,
      isUUID,
      normalizeIPv6,
      stringArrayToHexStripped
    };
  }
});

// node_modules/fast-uri/lib/schemes.js
var require_schemes = __commonJS({
  "node_modules/fast-uri/lib/schemes.js"(exports, module) {
    "use strict";
    var { isUUID } = require_utils2();
    var URN_REG = /^([\da-z][\d\-a-z]{0,31}):((?:[\w!$'()*+,\-./:;=@]|%[\da-f]{2})+)$/iu;
    var supportedSchemeNames = (
      /** @type {const} */
      [
        "http",
        "https",
        "ws",
        "wss",
        "urn",
        "urn:uuid"
      ]
    );
    function isValidSchemeName(name) {
      return supportedSchemeNames.indexOf(
        /** @type {*} */
        name
      ) !== -1;
    }
    function wsIsSecure(wsComponent) {
      if (wsComponent.secure === true) {
        return true;
      } else if (wsComponent.secure === false) {
        return false;
      } else if (wsComponent.scheme) {
        return wsComponent.scheme.length === 3 && (wsComponent.scheme[0] === "w" || wsComponent.scheme[0] === "W") && (wsComponent.scheme[1] === "s" || wsComponent.scheme[1] === "S") && (wsComponent.scheme[2] === "s" || wsComponent.scheme[2] === "S");
      } else {
        return false;
      }
    }
    function httpParse(component) {
      if (!component.host) {
        component.error = component.error || "HTTP URIs must have a host.";
      }
      return component;
    }
    function httpSerialize(component) {
      const secure = String(component.scheme).toLowerCase() === "https";
      if (component.port === (secure ? 443 : 80) || component.port === "") {
        component.port = void 0;
      }
      if (!component.path) {
        component.path = "/";
      }
      return component;
    }
    function wsParse(wsComponent) {
      wsComponent.secure = wsIsSecure(wsComponent);
      wsComponent.resourceName = (wsComponent.path || "/") + (wsComponent.query ? "?" + wsComponent.query : "");
      wsComponent.path = void 0;
      wsComponent.query = void 0;
      return wsComponent;
    }
    function wsSerialize(wsComponent) {
      if (wsComponent.port === (wsIsSecure(wsComponent) ? 443 : 80) || wsComponent.port === "") {
        wsComponent.port = void 0;
      }
      if (typeof wsComponent.secure === "boolean") {
        wsComponent.scheme = wsComponent.secure ? "wss" : "ws";
        wsComponent.secure = void 0;
      }
      if (wsComponent.resourceName) {
        const queryIndex = wsComponent.resourceName.indexOf("?");
        const path = queryIndex === -1 ? wsComponent.resourceName : wsComponent.resourceName.slice(0, queryIndex);
        wsComponent.path = path && path !== "/" ? path : void 0;
        wsComponent.query = queryIndex === -1 ? void 0 : wsComponent.resourceName.slice(queryIndex + 1);
        wsComponent.resourceName = void 0;
      }
      wsComponent.fragment = void 0;
      return wsComponent;
    }
    function urnParse(urnComponent, options) {
      if (!urnComponent.path) {
        urnComponent.error = "URN can not be parsed";
        return urnComponent;
      }
      const matches = urnComponent.path.match(URN_REG);
      if (matches && matches[0] === urnComponent.path) {
        const scheme = options.scheme || urnComponent.scheme || "urn";
        urnComponent.nid = matches[1].toLowerCase();
        urnComponent.nss = matches[2];
        const urnScheme = `${scheme}:${options.nid || urnComponent.nid}`;
        const schemeHandler = getSchemeHandler(urnScheme);
        urnComponent.path = void 0;
        if (schemeHandler) {
          urnComponent = schemeHandler.parse(urnComponent, options);
        }
      } else {
        urnComponent.error = urnComponent.error || "URN can not be parsed.";
      }
      return urnComponent;
    }
    function urnSerialize(urnComponent, options) {
      if (urnComponent.nid === void 0) {
        throw new Error("URN without nid cannot be serialized");
      }
      const scheme = options.scheme || urnComponent.scheme || "urn";
      const nid = urnComponent.nid.toLowerCase();
      const urnScheme = `${scheme}:${options.nid || nid}`;
      const schemeHandler = getSchemeHandler(urnScheme);
      if (schemeHandler) {
        urnComponent = schemeHandler.serialize(urnComponent, options);
      }
      const uriComponent = urnComponent;
      const nss = urnComponent.nss;
      uriComponent.path = `${nid || options.nid}:${nss}`;
      options.skipEscape = true;
      return uriComponent;
    }
    function urnuuidParse(urnComponent, options) {
      const uuidComponent = urnComponent;
      uuidComponent.uuid = uuidComponent.nss;
      uuidComponent.nss = void 0;
      if (!options.tolerant && (!uuidComponent.uuid || !isUUID(uuidComponent.uuid))) {
        uuidComponent.error = uuidComponent.error || "UUID is not valid.";
      }
      return uuidComponent;
    }
    function urnuuidSerialize(uuidComponent) {
      const urnComponent = uuidComponent;
      urnComponent.nss = (uuidComponent.uuid || "").toLowerCase();
      return urnComponent;
    }
    var http = (
      /** @type {SchemeHandler} */
      {
        scheme: "http",
        domainHost: true,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var https = (
      /** @type {SchemeHandler} */
      {
        scheme: "https",
        domainHost: http.domainHost,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var ws = (
      /** @type {SchemeHandler} */
      {
        scheme: "ws",
        domainHost: true,
        parse: wsParse,
        serialize: wsSerialize
      }
    );
    var wss = (
      /** @type {SchemeHandler} */
      {
        scheme: "wss",
        domainHost: ws.domainHost,
        parse: ws.parse,
        serialize: ws.serialize
      }
    );
    var urn = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn",
        parse: urnParse,
        serialize: urnSerialize,
        skipNormalize: true
      }
    );
    var urnuuid = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn:uuid",
        parse: urnuuidParse,
        serialize: urnuuidSerialize,
        skipNormalize: true
      }
    );
    var SCHEMES = (
      /** @type {Record<SchemeName, SchemeHandler>} */
      {
        http,
        https,
        ws,
        wss,
        urn,
        "urn:uuid": urnuuid
      }
    );
    Object.setPrototypeOf(SCHEMES, null);
    function getSchemeHandler(scheme) {
      return scheme && (SCHEMES[
        /** @type {SchemeName} */
        scheme
      ] || SCHEMES[
        /** @type {SchemeName} */
        scheme.toLowerCase()
      ]) || void 0;
    }
    module.exports = {
      wsIsSecure,
      SCHEMES,
      isValidSchemeName,
      getSchemeHandler
    };
  }
});

// node_modules/fast-uri/index.js
var require_fast_uri = __commonJS({
  "node_modules/fast-uri/index.js"(exports, module) {
    "use strict";
    var { normalizeIPv6, removeDotSegments, removeDotSegmentsRelative, recomposeAuthority, normalizePercentEncoding, normalizePathEncoding, serializePathEncoding, normalizeQueryFragmentEncoding, encodeQuery, encodeFragment, reescapeHostDelimiters, isIPv4: isIPv42, nonSimpleDomain } = require_utils2();
    var { SCHEMES, getSchemeHandler } = require_schemes();
    var VALID_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/u;
    var MALFORMED_SCHEME_ERROR = "URI scheme is malformed.";
    var MALFORMED_HOST_ERROR = "URI host is malformed.";
    var FORBIDDEN_DOMAIN_HOST_CHARACTER = /[\0-\x20"#/:<>?@[\\\]^`{|}\x7F]/u;
    function validateScheme(scheme) {
      const stringScheme = String(scheme);
      if (!VALID_SCHEME.test(stringScheme)) {
        throw new TypeError(MALFORMED_SCHEME_ERROR);
      }
      return stringScheme;
    }
    function normalize(uri, options) {
      if (typeof uri === "string") {
        uri = /** @type {T} */
        normalizeString(uri, options);
      } else if (typeof uri === "object") {
        uri = /** @type {T} */
        parse(serialize(uri, options), options);
      }
      return uri;
    }
    function resolve8(baseURI, relativeURI, options) {
      const schemelessOptions = options ? Object.assign({ scheme: "null" }, options) : { scheme: "null" };
      const {
        parsed: baseParsed,
        malformedAuthorityOrPort: baseMalformed,
        malformedPercentEncoding: baseMalformedPercentEncoding,
        malformedSchemeSpecific: baseMalformedSchemeSpecific,
        malformedHost: baseMalformedHost,
        malformedScheme: baseMalformedScheme
      } = parseWithStatus(baseURI, schemelessOptions);
      const {
        parsed: relativeParsed,
        malformedAuthorityOrPort: relativeMalformed,
        malformedPercentEncoding: relativeMalformedPercentEncoding,
        malformedSchemeSpecific: relativeMalformedSchemeSpecific,
        malformedHost: relativeMalformedHost,
        malformedScheme: relativeMalformedScheme
      } = parseWithStatus(relativeURI, schemelessOptions);
      if (baseMalformed || relativeMalformed || baseMalformedPercentEncoding || relativeMalformedPercentEncoding || baseMalformedSchemeSpecific || relativeMalformedSchemeSpecific || baseMalformedHost || relativeMalformedHost || baseMalformedScheme || relativeMalformedScheme) {
        throw new Error(baseParsed.error || relativeParsed.error || "URI is malformed.");
      }
      const resolved = resolveComponent(baseParsed, relativeParsed, schemelessOptions, true);
      const resolvedSchemeHandler = getSchemeHandler(options && options.scheme || resolved.scheme);
      const resolvedHost = resolved.host;
      const resolvedHostIsIP = resolvedHost !== void 0 && resolvedHost !== "" && (isIPv42(resolvedHost) || normalizeIPv6(resolvedHost).isIPV6);
      if (hasForbiddenDomainHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP)) {
        throw new Error(MALFORMED_HOST_ERROR);
      }
      canonicalizeHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP);
      const encodedASCIIHost = resolvedHost && resolvedHost.indexOf("%") !== -1 && !new RegExp("\\P{ASCII}", "u").test(resolvedHost);
      if (resolved.error && !encodedASCIIHost) {
        throw new Error(resolved.error);
      }
      schemelessOptions.skipEscape = true;
      return serialize(resolved, schemelessOptions);
    }
    function resolveComponent(base, relative5, options, skipNormalization) {
      const target = {};
      if (!skipNormalization) {
        base = parse(serialize(base, options), options);
        relative5 = parse(serialize(relative5, options), options);
      }
      options = options || {};
      if (!options.tolerant && relative5.scheme) {
        target.scheme = relative5.scheme;
        target.userinfo = relative5.userinfo;
        target.host = relative5.host;
        target.port = relative5.port;
        target.path = removeDotSegments(relative5.path || "");
        target.query = relative5.query;
      } else {
        if (relative5.userinfo !== void 0 || relative5.host !== void 0 || relative5.port !== void 0) {
          target.userinfo = relative5.userinfo;
          target.host = relative5.host;
          target.port = relative5.port;
          target.path = removeDotSegments(relative5.path || "");
          target.query = relative5.query;
        } else {
          if (!relative5.path) {
            target.path = base.path;
            if (relative5.query !== void 0) {
              target.query = relative5.query;
            } else {
              target.query = base.query;
            }
          } else {
            if (relative5.path[0] === "/") {
              target.path = removeDotSegments(relative5.path);
            } else {
              const baseHasAuthority = base.userinfo !== void 0 || base.host !== void 0 || base.port !== void 0;
              if (baseHasAuthority && !base.path) {
                target.path = "/" + relative5.path;
              } else if (!base.path) {
                target.path = relative5.path;
              } else {
                target.path = base.path.slice(0, base.path.lastIndexOf("/") + 1) + relative5.path;
              }
              target.path = base.scheme === void 0 && !baseHasAuthority && target.path[0] !== "/" ? removeDotSegmentsRelative(target.path) : removeDotSegments(target.path);
            }
            target.query = relative5.query;
          }
          target.userinfo = base.userinfo;
          target.host = base.host;
          target.port = base.port;
        }
        target.scheme = base.scheme;
      }
      target.fragment = relative5.fragment;
      return target;
    }
    function equal(uriA, uriB, options) {
      const normalizedA = normalizeComparableURI(uriA, options);
      const normalizedB = normalizeComparableURI(uriB, options);
      return normalizedA !== void 0 && normalizedB !== void 0 && normalizedA === normalizedB;
    }
    function serialize(cmpts, opts) {
      const component = {
        host: cmpts.host,
        scheme: cmpts.scheme,
        userinfo: cmpts.userinfo,
        port: cmpts.port,
        path: cmpts.path,
        query: cmpts.query,
        nid: cmpts.nid,
        nss: cmpts.nss,
        uuid: cmpts.uuid,
        fragment: cmpts.fragment,
        reference: cmpts.reference,
        resourceName: cmpts.resourceName,
        secure: cmpts.secure,
        error: ""
      };
      const options = Object.assign({}, opts);
      const uriTokens = [];
      if (component.scheme) {
        component.scheme = validateScheme(component.scheme);
      }
      const schemeHandler = getSchemeHandler(options.scheme || component.scheme);
      if (schemeHandler && schemeHandler.serialize) schemeHandler.serialize(component, options);
      const hasAuthority = component.userinfo !== void 0 || component.host !== void 0 || component.port !== void 0;
      const schemelessReference = (component.scheme === void 0 || options.reference === "suffix") && !hasAuthority;
      const pathNoScheme = !options.skipEscape && schemelessReference;
      if (component.path !== void 0) {
        if (!options.skipEscape) {
          component.path = serializePathEncoding(component.path, pathNoScheme);
        } else {
          component.path = normalizePercentEncoding(component.path);
        }
      }
      if (options.reference !== "suffix" && component.scheme) {
        component.scheme = validateScheme(component.scheme);
        uriTokens.push(component.scheme, ":");
      }
      const authority = recomposeAuthority(component);
      if (authority !== void 0) {
        if (options.reference !== "suffix") {
          uriTokens.push("//");
        }
        uriTokens.push(authority);
        if (component.path && component.path[0] !== "/") {
          uriTokens.push("/");
        }
      }
      if (component.path !== void 0) {
        let s2 = component.path;
        if (!options.absolutePath && (!schemeHandler || !schemeHandler.absolutePath)) {
          s2 = schemelessReference && s2[0] !== "/" ? removeDotSegmentsRelative(s2) : removeDotSegments(s2);
        }
        if (schemelessReference) {
          s2 = serializePathEncoding(s2, true);
        }
        if (authority === void 0 && s2[0] === "/" && s2[1] === "/") {
          s2 = "/%2F" + s2.slice(2);
        }
        uriTokens.push(s2);
      }
      if (component.query !== void 0) {
        uriTokens.push("?", encodeQuery(component.query));
      }
      if (component.fragment !== void 0) {
        uriTokens.push("#", encodeFragment(component.fragment));
      }
      return uriTokens.join("");
    }
    var URI_PARSE = /^(?:([^#/:?]+):)?(?:\/\/((?:([^#/?@]*)@)?(\[[^#/?\]]+\]|[^#/:?]*)(?::(\d*))?))?([^#?]*)(?:\?([^#]*))?(?:#((?:.|[\n\r])*))?/u;
    var AUTHORITY_PREFIX = /^(?:[^#/:?]+:)?\/\/([^/?#]*)/;
    var AUTHORITY_INTRODUCER_REGION = /^(?:[^#/:?]+:)?([/\\\t\n\r]*)/;
    function getParseError(parsed, matches) {
      if (matches[2] !== void 0 && parsed.path && parsed.path[0] !== "/") {
        return 'URI path must start with "/" when authority is present.';
      }
      if (typeof parsed.port === "number" && (parsed.port < 0 || parsed.port > 65535)) {
        return "URI port is malformed.";
      }
      return void 0;
    }
    function hasMalformedPercentEncoding(component) {
      if (component === void 0) return false;
      let percent = component.indexOf("%");
      while (percent !== -1) {
        if (percent + 2 >= component.length || !/^[\da-f]{2}$/iu.test(component.slice(percent + 1, percent + 3))) {
          return true;
        }
        percent = component.indexOf("%", percent + 3);
      }
      return false;
    }
    function isIPLiteral(host) {
      return host[0] === "[" && host[host.length - 1] === "]";
    }
    function hasMalformedComponentPercentEncoding(matches) {
      const host = matches[4];
      return hasMalformedPercentEncoding(matches[3]) || host !== void 0 && !isIPLiteral(host) && hasMalformedPercentEncoding(host) || hasMalformedPercentEncoding(matches[6]) || hasMalformedPercentEncoding(matches[7]) || hasMalformedPercentEncoding(matches[8]);
    }
    function canonicalizeHost(parsed, options, schemeHandler, isIP) {
      if (hasForbiddenDomainHost(parsed, options, schemeHandler, isIP)) {
        parsed.error = parsed.error || MALFORMED_HOST_ERROR;
        return true;
      }
      if (!options.unicodeSupport && (!schemeHandler || !schemeHandler.unicodeSupport) && parsed.host && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && isIP === false && nonSimpleDomain(parsed.host)) {
        let url;
        try {
          url = new URL("http://" + parsed.host);
        } catch (e) {
          parsed.error = parsed.error || "Host's domain name can not be converted to ASCII: " + e;
          return true;
        }
        if (!isHostOnlyURL(url)) {
          parsed.error = parsed.error || MALFORMED_HOST_ERROR;
          return true;
        }
        parsed.host = url.hostname;
      }
      return false;
    }
    function hasForbiddenDomainHost(parsed, options, schemeHandler, isIP) {
      return Boolean(
        parsed.host && isIP === false && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && FORBIDDEN_DOMAIN_HOST_CHARACTER.test(parsed.host)
      );
    }
    function isHostOnlyURL(url) {
      return url.username === "" && url.password === "" && url.port === "" && url.pathname === "/" && url.search === "" && url.hash === "" && url.hostname !== "";
    }
    function parseWithStatus(uri, opts) {
      const options = Object.assign({}, opts);
      const parsed = {
        scheme: void 0,
        userinfo: void 0,
        host: "",
        port: void 0,
        path: "",
        query: void 0,
        fragment: void 0
      };
      let malformedAuthorityOrPort = false;
      let malformedPercentEncoding = false;
      let malformedSchemeSpecific = false;
      let malformedHost = false;
      let malformedIPLiteral = false;
      let malformedScheme = false;
      let isIP = false;
      if (options.reference === "suffix") {
        if (options.scheme) {
          uri = options.scheme + ":" + uri;
        } else {
          uri = "//" + uri;
        }
      }
      const authorityMatch = uri.match(AUTHORITY_PREFIX);
      if (authorityMatch !== null && authorityMatch[1].indexOf("\\") !== -1) {
        parsed.error = "URI authority must not contain a literal backslash.";
        malformedAuthorityOrPort = true;
      }
      const introducerMatch = uri.match(AUTHORITY_INTRODUCER_REGION);
      if (introducerMatch !== null) {
        const region = introducerMatch[1];
        const normalizedRegion = region.replace(/[\t\n\r]/g, "");
        if (normalizedRegion.length >= 2) {
          if (normalizedRegion.slice(0, 2) !== "//") {
            parsed.error = parsed.error || "URI authority must not contain a literal backslash.";
            malformedAuthorityOrPort = true;
          } else if (region.length !== normalizedRegion.length) {
            parsed.error = parsed.error || "URI authority introducer must not contain whitespace.";
            malformedAuthorityOrPort = true;
          }
        }
      }
      const matches = uri.match(URI_PARSE);
      if (matches) {
        parsed.scheme = matches[1];
        parsed.userinfo = matches[3];
        parsed.host = matches[4];
        parsed.port = parseInt(matches[5], 10);
        parsed.path = matches[6] || "";
        parsed.query = matches[7];
        parsed.fragment = matches[8];
        if (parsed.scheme !== void 0) {
          if (VALID_SCHEME.test(parsed.scheme)) {
            parsed.scheme = parsed.scheme.toLowerCase();
          } else {
            parsed.error = parsed.error || MALFORMED_SCHEME_ERROR;
            malformedScheme = true;
          }
        }
        malformedPercentEncoding = hasMalformedComponentPercentEncoding(matches);
        if (malformedPercentEncoding) {
          parsed.error = parsed.error || "URI contains malformed percent-encoding.";
        }
        if (isNaN(parsed.port)) {
          parsed.port = matches[5];
        }
        const parseError = getParseError(parsed, matches);
        if (parseError !== void 0) {
          parsed.error = parsed.error || parseError;
          malformedAuthorityOrPort = true;
        }
        if (parsed.host) {
          const ipv4result = isIPv42(parsed.host);
          if (ipv4result === false) {
            const bracketedIPLiteral = isIPLiteral(parsed.host);
            const hasIPLiteralBracket = parsed.host.indexOf("[") !== -1 || parsed.host.indexOf("]") !== -1;
            const ipv6result = normalizeIPv6(parsed.host);
            isIP = ipv6result.isIPV6 || ipv6result.isIPVFuture === true;
            malformedIPLiteral = hasIPLiteralBracket && (!bracketedIPLiteral || ipv6result.error === true);
            parsed.host = isIP ? ipv6result.host : ipv6result.host.toLowerCase();
            if (malformedIPLiteral) {
              parsed.error = parsed.error || MALFORMED_HOST_ERROR;
              malformedAuthorityOrPort = true;
            }
          } else {
            isIP = true;
          }
        }
        if (parsed.scheme === void 0 && parsed.userinfo === void 0 && parsed.host === void 0 && parsed.port === void 0 && parsed.query === void 0 && !parsed.path) {
          parsed.reference = "same-document";
        } else if (parsed.scheme === void 0) {
          parsed.reference = "relative";
        } else if (parsed.fragment === void 0) {
          parsed.reference = "absolute";
        } else {
          parsed.reference = "uri";
        }
        if (options.reference && options.reference !== "suffix" && options.reference !== parsed.reference) {
          parsed.error = parsed.error || "URI is not a " + options.reference + " reference.";
        }
        const schemeHandler = getSchemeHandler(options.scheme || parsed.scheme);
        if (!malformedIPLiteral) {
          malformedHost = canonicalizeHost(parsed, options, schemeHandler, isIP);
        }
        if (uri.indexOf("%") !== -1 && parsed.host !== void 0 && !malformedIPLiteral) {
          let host = isIP ? parsed.host : normalizePercentEncoding(parsed.host, true);
          if (!isIP) {
            host = normalizePercentEncoding(host.toLowerCase());
          }
          parsed.host = isIP || options.scheme !== "null" ? reescapeHostDelimiters(host, isIP) : host;
        }
        if (!schemeHandler || schemeHandler && !schemeHandler.skipNormalize) {
          if (parsed.path) {
            parsed.path = normalizePathEncoding(parsed.path);
          }
          if (parsed.query) {
            parsed.query = normalizeQueryFragmentEncoding(parsed.query);
          }
          if (parsed.fragment) {
            parsed.fragment = normalizeQueryFragmentEncoding(parsed.fragment);
          }
        }
        if (schemeHandler && schemeHandler.parse) {
          schemeHandler.parse(parsed, options);
          if (schemeHandler === SCHEMES.urn && parsed.nid === void 0) {
            malformedSchemeSpecific = true;
          }
        }
      } else {
        parsed.error = parsed.error || "URI can not be parsed.";
      }
      return { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme };
    }
    function parse(uri, opts) {
      return parseWithStatus(uri, opts).parsed;
    }
    function normalizeString(uri, opts) {
      return normalizeStringWithStatus(uri, opts).normalized;
    }
    function normalizeStringWithStatus(uri, opts) {
      const { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = parseWithStatus(uri, opts);
      return {
        normalized: malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? uri : serialize(parsed, opts),
        malformedAuthorityOrPort,
        malformedPercentEncoding,
        malformedSchemeSpecific,
        malformedHost,
        malformedScheme
      };
    }
    function normalizeComparableURI(uri, opts) {
      if (typeof uri !== "string" && typeof uri !== "object") {
        return void 0;
      }
      let value;
      try {
        value = typeof uri === "string" ? uri : serialize(uri, opts);
      } catch {
        return void 0;
      }
      const { normalized, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = normalizeStringWithStatus(value, opts);
      return malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? void 0 : normalized;
    }
    var fastUri = {
      SCHEMES,
      normalize,
      resolve: resolve8,
      resolveComponent,
      equal,
      serialize,
      parse
    };
    module.exports = fastUri;
    module.exports.default = fastUri;
    module.exports.fastUri = fastUri;
  }
});

// node_modules/ajv/dist/runtime/uri.js
var require_uri = __commonJS({
  "node_modules/ajv/dist/runtime/uri.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var uri = require_fast_uri();
    uri.code = 'require("ajv/dist/runtime/uri").default';
    exports.default = uri;
  }
});

// node_modules/ajv/dist/core.js
var require_core = __commonJS({
  "node_modules/ajv/dist/core.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = void 0;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    var ref_error_1 = require_ref_error();
    var rules_1 = require_rules();
    var compile_1 = require_compile();
    var codegen_2 = require_codegen();
    var resolve_1 = require_resolve();
    var dataType_1 = require_dataType();
    var util_1 = require_util2();
    var $dataRefSchema = require_data();
    var uri_1 = require_uri();
    var defaultRegExp = (str2, flags) => new RegExp(str2, flags);
    defaultRegExp.code = "new RegExp";
    var META_IGNORE_OPTIONS = ["removeAdditional", "useDefaults", "coerceTypes"];
    var EXT_SCOPE_NAMES = /* @__PURE__ */ new Set([
      "validate",
      "serialize",
      "parse",
      "wrapper",
      "root",
      "schema",
      "keyword",
      "pattern",
      "formats",
      "validate$data",
      "func",
      "obj",
      "Error"
    ]);
    var removedOptions = {
      errorDataPath: "",
      format: "`validateFormats: false` can be used instead.",
      nullable: '"nullable" keyword is supported by default.',
      jsonPointers: "Deprecated jsPropertySyntax can be used instead.",
      extendRefs: "Deprecated ignoreKeywordsWithRef can be used instead.",
      missingRefs: "Pass empty schema with $id that should be ignored to ajv.addSchema.",
      processCode: "Use option `code: {process: (code, schemaEnv: object) => string}`",
      sourceCode: "Use option `code: {source: true}`",
      strictDefaults: "It is default now, see option `strict`.",
      strictKeywords: "It is default now, see option `strict`.",
      uniqueItems: '"uniqueItems" keyword is always validated.',
      unknownFormats: "Disable strict mode or pass `true` to `ajv.addFormat` (or `formats` option).",
      cache: "Map is used as cache, schema object as key.",
      serialize: "Map is used as cache, schema object as key.",
      ajvErrors: "It is default now."
    };
    var deprecatedOptions = {
      ignoreKeywordsWithRef: "",
      jsPropertySyntax: "",
      unicode: '"minLength"/"maxLength" account for unicode characters by default.'
    };
    var MAX_EXPRESSION = 200;
    function requiredOptions(o) {
      var _a, _b, _c, _d, _e, _f, _g, _h, _j, _k, _l, _m, _o, _p, _q, _r, _s, _t, _u, _v, _w, _x, _y, _z, _0;
      const s2 = o.strict;
      const _optz = (_a = o.code) === null || _a === void 0 ? void 0 : _a.optimize;
      const optimize = _optz === true || _optz === void 0 ? 1 : _optz || 0;
      const regExp = (_c = (_b = o.code) === null || _b === void 0 ? void 0 : _b.regExp) !== null && _c !== void 0 ? _c : defaultRegExp;
      const uriResolver = (_d = o.uriResolver) !== null && _d !== void 0 ? _d : uri_1.default;
      return {
        strictSchema: (_f = (_e = o.strictSchema) !== null && _e !== void 0 ? _e : s2) !== null && _f !== void 0 ? _f : true,
        strictNumbers: (_h = (_g = o.strictNumbers) !== null && _g !== void 0 ? _g : s2) !== null && _h !== void 0 ? _h : true,
        strictTypes: (_k = (_j = o.strictTypes) !== null && _j !== void 0 ? _j : s2) !== null && _k !== void 0 ? _k : "log",
        strictTuples: (_m = (_l = o.strictTuples) !== null && _l !== void 0 ? _l : s2) !== null && _m !== void 0 ? _m : "log",
        strictRequired: (_p = (_o = o.strictRequired) !== null && _o !== void 0 ? _o : s2) !== null && _p !== void 0 ? _p : false,
        code: o.code ? { ...o.code, optimize, regExp } : { optimize, regExp },
        loopRequired: (_q = o.loopRequired) !== null && _q !== void 0 ? _q : MAX_EXPRESSION,
        loopEnum: (_r = o.loopEnum) !== null && _r !== void 0 ? _r : MAX_EXPRESSION,
        meta: (_s = o.meta) !== null && _s !== void 0 ? _s : true,
        messages: (_t = o.messages) !== null && _t !== void 0 ? _t : true,
        inlineRefs: (_u = o.inlineRefs) !== null && _u !== void 0 ? _u : true,
        schemaId: (_v = o.schemaId) !== null && _v !== void 0 ? _v : "$id",
        addUsedSchema: (_w = o.addUsedSchema) !== null && _w !== void 0 ? _w : true,
        validateSchema: (_x = o.validateSchema) !== null && _x !== void 0 ? _x : true,
        validateFormats: (_y = o.validateFormats) !== null && _y !== void 0 ? _y : true,
        unicodeRegExp: (_z = o.unicodeRegExp) !== null && _z !== void 0 ? _z : true,
        int32range: (_0 = o.int32range) !== null && _0 !== void 0 ? _0 : true,
        uriResolver
      };
    }
    var Ajv2 = class {
      constructor(opts = {}) {
        this.schemas = {};
        this.refs = {};
        this.formats = /* @__PURE__ */ Object.create(null);
        this._compilations = /* @__PURE__ */ new Set();
        this._loading = {};
        this._cache = /* @__PURE__ */ new Map();
        opts = this.opts = { ...opts, ...requiredOptions(opts) };
        const { es5, lines } = this.opts.code;
        this.scope = new codegen_2.ValueScope({ scope: {}, prefixes: EXT_SCOPE_NAMES, es5, lines });
        this.logger = getLogger(opts.logger);
        const formatOpt = opts.validateFormats;
        opts.validateFormats = false;
        this.RULES = (0, rules_1.getRules)();
        checkOptions.call(this, removedOptions, opts, "NOT SUPPORTED");
        checkOptions.call(this, deprecatedOptions, opts, "DEPRECATED", "warn");
        this._metaOpts = getMetaSchemaOptions.call(this);
        if (opts.formats)
          addInitialFormats.call(this);
        this._addVocabularies();
        this._addDefaultMetaSchema();
        if (opts.keywords)
          addInitialKeywords.call(this, opts.keywords);
        if (typeof opts.meta == "object")
          this.addMetaSchema(opts.meta);
        addInitialSchemas.call(this);
        opts.validateFormats = formatOpt;
      }
      _addVocabularies() {
        this.addKeyword("$async");
      }
      _addDefaultMetaSchema() {
        const { $data, meta, schemaId } = this.opts;
        let _dataRefSchema = $dataRefSchema;
        if (schemaId === "id") {
          _dataRefSchema = { ...$dataRefSchema };
          _dataRefSchema.id = _dataRefSchema.$id;
          delete _dataRefSchema.$id;
        }
        if (meta && $data)
          this.addMetaSchema(_dataRefSchema, _dataRefSchema[schemaId], false);
      }
      defaultMeta() {
        const { meta, schemaId } = this.opts;
        return this.opts.defaultMeta = typeof meta == "object" ? meta[schemaId] || meta : void 0;
      }
      validate(schemaKeyRef, data) {
        let v;
        if (typeof schemaKeyRef == "string") {
          v = this.getSchema(schemaKeyRef);
          if (!v)
            throw new Error(`no schema with key or ref "${schemaKeyRef}"`);
        } else {
          v = this.compile(schemaKeyRef);
        }
        const valid = v(data);
        if (!("$async" in v))
          this.errors = v.errors;
        return valid;
      }
      compile(schema2, _meta) {
        const sch = this._addSchema(schema2, _meta);
        return sch.validate || this._compileSchemaEnv(sch);
      }
      compileAsync(schema2, meta) {
        if (typeof this.opts.loadSchema != "function") {
          throw new Error("options.loadSchema should be a function");
        }
        const { loadSchema } = this.opts;
        return runCompileAsync.call(this, schema2, meta);
        async function runCompileAsync(_schema, _meta) {
          await loadMetaSchema.call(this, _schema.$schema);
          const sch = this._addSchema(_schema, _meta);
          return sch.validate || _compileAsync.call(this, sch);
        }
        async function loadMetaSchema($ref) {
          if ($ref && !this.getSchema($ref)) {
            await runCompileAsync.call(this, { $ref }, true);
          }
        }
        async function _compileAsync(sch) {
          try {
            return this._compileSchemaEnv(sch);
          } catch (e) {
            if (!(e instanceof ref_error_1.default))
              throw e;
            checkLoaded.call(this, e);
            await loadMissingSchema.call(this, e.missingSchema);
            return _compileAsync.call(this, sch);
          }
        }
        function checkLoaded({ missingSchema: ref, missingRef }) {
          if (this.refs[ref]) {
            throw new Error(`AnySchema ${ref} is loaded but ${missingRef} cannot be resolved`);
          }
        }
        async function loadMissingSchema(ref) {
          const _schema = await _loadSchema.call(this, ref);
          if (!this.refs[ref])
            await loadMetaSchema.call(this, _schema.$schema);
          if (!this.refs[ref])
            this.addSchema(_schema, ref, meta);
        }
        async function _loadSchema(ref) {
          const p = this._loading[ref];
          if (p)
            return p;
          try {
            return await (this._loading[ref] = loadSchema(ref));
          } finally {
            delete this._loading[ref];
          }
        }
      }
      // Adds schema to the instance
      addSchema(schema2, key, _meta, _validateSchema = this.opts.validateSchema) {
        if (Array.isArray(schema2)) {
          for (const sch of schema2)
            this.addSchema(sch, void 0, _meta, _validateSchema);
          return this;
        }
        let id;
        if (typeof schema2 === "object") {
          const { schemaId } = this.opts;
          id = schema2[schemaId];
          if (id !== void 0 && typeof id != "string") {
            throw new Error(`schema ${schemaId} must be string`);
          }
        }
        key = (0, resolve_1.normalizeId)(key || id);
        this._checkUnique(key);
        this.schemas[key] = this._addSchema(schema2, _meta, key, _validateSchema, true);
        return this;
      }
      // Add schema that will be used to validate other schemas
      // options in META_IGNORE_OPTIONS are alway set to false
      addMetaSchema(schema2, key, _validateSchema = this.opts.validateSchema) {
        this.addSchema(schema2, key, true, _validateSchema);
        return this;
      }
      //  Validate schema against its meta-schema
      validateSchema(schema2, throwOrLogError) {
        if (typeof schema2 == "boolean")
          return true;
        let $schema;
        $schema = schema2.$schema;
        if ($schema !== void 0 && typeof $schema != "string") {
          throw new Error("$schema must be a string");
        }
        $schema = $schema || this.opts.defaultMeta || this.defaultMeta();
        if (!$schema) {
          this.logger.warn("meta-schema not available");
          this.errors = null;
          return true;
        }
        const valid = this.validate($schema, schema2);
        if (!valid && throwOrLogError) {
          const message = "schema is invalid: " + this.errorsText();
          if (this.opts.validateSchema === "log")
            this.logger.error(message);
          else
            throw new Error(message);
        }
        return valid;
      }
      // Get compiled schema by `key` or `ref`.
      // (`key` that was passed to `addSchema` or full schema reference - `schema.$id` or resolved id)
      getSchema(keyRef) {
        let sch;
        while (typeof (sch = getSchEnv.call(this, keyRef)) == "string")
          keyRef = sch;
        if (sch === void 0) {
          const { schemaId } = this.opts;
          const root = new compile_1.SchemaEnv({ schema: {}, schemaId });
          sch = compile_1.resolveSchema.call(this, root, keyRef);
          if (!sch)
            return;
          this.refs[keyRef] = sch;
        }
        return sch.validate || this._compileSchemaEnv(sch);
      }
      // Remove cached schema(s).
      // If no parameter is passed all schemas but meta-schemas are removed.
      // If RegExp is passed all schemas with key/id matching pattern but meta-schemas are removed.
      // Even if schema is referenced by other schemas it still can be removed as other schemas have local references.
      removeSchema(schemaKeyRef) {
        if (schemaKeyRef instanceof RegExp) {
          this._removeAllSchemas(this.schemas, schemaKeyRef);
          this._removeAllSchemas(this.refs, schemaKeyRef);
          return this;
        }
        switch (typeof schemaKeyRef) {
          case "undefined":
            this._removeAllSchemas(this.schemas);
            this._removeAllSchemas(this.refs);
            this._cache.clear();
            return this;
          case "string": {
            const sch = getSchEnv.call(this, schemaKeyRef);
            if (typeof sch == "object")
              this._cache.delete(sch.schema);
            delete this.schemas[schemaKeyRef];
            delete this.refs[schemaKeyRef];
            return this;
          }
          case "object": {
            const cacheKey = schemaKeyRef;
            this._cache.delete(cacheKey);
            let id = schemaKeyRef[this.opts.schemaId];
            if (id) {
              id = (0, resolve_1.normalizeId)(id);
              delete this.schemas[id];
              delete this.refs[id];
            }
            return this;
          }
          default:
            throw new Error("ajv.removeSchema: invalid parameter");
        }
      }
      // add "vocabulary" - a collection of keywords
      addVocabulary(definitions) {
        for (const def of definitions)
          this.addKeyword(def);
        return this;
      }
      addKeyword(kwdOrDef, def) {
        let keyword;
        if (typeof kwdOrDef == "string") {
          keyword = kwdOrDef;
          if (typeof def == "object") {
            this.logger.warn("these parameters are deprecated, see docs for addKeyword");
            def.keyword = keyword;
          }
        } else if (typeof kwdOrDef == "object" && def === void 0) {
          def = kwdOrDef;
          keyword = def.keyword;
          if (Array.isArray(keyword) && !keyword.length) {
            throw new Error("addKeywords: keyword must be string or non-empty array");
          }
        } else {
          throw new Error("invalid addKeywords parameters");
        }
        checkKeyword.call(this, keyword, def);
        if (!def) {
          (0, util_1.eachItem)(keyword, (kwd) => addRule.call(this, kwd));
          return this;
        }
        keywordMetaschema.call(this, def);
        const definition = {
          ...def,
          type: (0, dataType_1.getJSONTypes)(def.type),
          schemaType: (0, dataType_1.getJSONTypes)(def.schemaType)
        };
        (0, util_1.eachItem)(keyword, definition.type.length === 0 ? (k) => addRule.call(this, k, definition) : (k) => definition.type.forEach((t) => addRule.call(this, k, definition, t)));
        return this;
      }
      getKeyword(keyword) {
        const rule41 = this.RULES.all[keyword];
        return typeof rule41 == "object" ? rule41.definition : !!rule41;
      }
      // Remove keyword
      removeKeyword(keyword) {
        const { RULES } = this;
        delete RULES.keywords[keyword];
        delete RULES.all[keyword];
        for (const group of RULES.rules) {
          const i2 = group.rules.findIndex((rule41) => rule41.keyword === keyword);
          if (i2 >= 0)
            group.rules.splice(i2, 1);
        }
        return this;
      }
      // Add format
      addFormat(name, format) {
        if (typeof format == "string")
          format = new RegExp(format);
        this.formats[name] = format;
        return this;
      }
      errorsText(errors = this.errors, { separator = ", ", dataVar = "data" } = {}) {
        if (!errors || errors.length === 0)
          return "No errors";
        return errors.map((e) => `${dataVar}${e.instancePath} ${e.message}`).reduce((text, msg) => text + separator + msg);
      }
      $dataMetaSchema(metaSchema, keywordsJsonPointers) {
        const rules = this.RULES.all;
        metaSchema = JSON.parse(JSON.stringify(metaSchema));
        for (const jsonPointer of keywordsJsonPointers) {
          const segments = jsonPointer.split("/").slice(1);
          let keywords = metaSchema;
          for (const seg of segments)
            keywords = keywords[seg];
          for (const key in rules) {
            const rule41 = rules[key];
            if (typeof rule41 != "object")
              continue;
            const { $data } = rule41.definition;
            const schema2 = keywords[key];
            if ($data && schema2)
              keywords[key] = schemaOrData(schema2);
          }
        }
        return metaSchema;
      }
      _removeAllSchemas(schemas, regex) {
        for (const keyRef in schemas) {
          const sch = schemas[keyRef];
          if (!regex || regex.test(keyRef)) {
            if (typeof sch == "string") {
              delete schemas[keyRef];
            } else if (sch && !sch.meta) {
              this._cache.delete(sch.schema);
              delete schemas[keyRef];
            }
          }
        }
      }
      _addSchema(schema2, meta, baseId, validateSchema = this.opts.validateSchema, addSchema = this.opts.addUsedSchema) {
        let id;
        const { schemaId } = this.opts;
        if (typeof schema2 == "object") {
          id = schema2[schemaId];
        } else {
          if (this.opts.jtd)
            throw new Error("schema must be object");
          else if (typeof schema2 != "boolean")
            throw new Error("schema must be object or boolean");
        }
        let sch = this._cache.get(schema2);
        if (sch !== void 0)
          return sch;
        baseId = (0, resolve_1.normalizeId)(id || baseId);
        const localRefs = resolve_1.getSchemaRefs.call(this, schema2, baseId);
        sch = new compile_1.SchemaEnv({ schema: schema2, schemaId, meta, baseId, localRefs });
        this._cache.set(sch.schema, sch);
        if (addSchema && !baseId.startsWith("#")) {
          if (baseId)
            this._checkUnique(baseId);
          this.refs[baseId] = sch;
        }
        if (validateSchema)
          this.validateSchema(schema2, true);
        return sch;
      }
      _checkUnique(id) {
        if (this.schemas[id] || this.refs[id]) {
          throw new Error(`schema with key or id "${id}" already exists`);
        }
      }
      _compileSchemaEnv(sch) {
        if (sch.meta)
          this._compileMetaSchema(sch);
        else
          compile_1.compileSchema.call(this, sch);
        if (!sch.validate)
          throw new Error("ajv implementation error");
        return sch.validate;
      }
      _compileMetaSchema(sch) {
        const currentOpts = this.opts;
        this.opts = this._metaOpts;
        try {
          compile_1.compileSchema.call(this, sch);
        } finally {
          this.opts = currentOpts;
        }
      }
    };
    Ajv2.ValidationError = validation_error_1.default;
    Ajv2.MissingRefError = ref_error_1.default;
    exports.default = Ajv2;
    function checkOptions(checkOpts, options, msg, log = "error") {
      for (const key in checkOpts) {
        const opt = key;
        if (opt in options)
          this.logger[log](`${msg}: option ${key}. ${checkOpts[opt]}`);
      }
    }
    function getSchEnv(keyRef) {
      keyRef = (0, resolve_1.normalizeId)(keyRef);
      return this.schemas[keyRef] || this.refs[keyRef];
    }
    function addInitialSchemas() {
      const optsSchemas = this.opts.schemas;
      if (!optsSchemas)
        return;
      if (Array.isArray(optsSchemas))
        this.addSchema(optsSchemas);
      else
        for (const key in optsSchemas)
          this.addSchema(optsSchemas[key], key);
    }
    function addInitialFormats() {
      for (const name in this.opts.formats) {
        const format = this.opts.formats[name];
        if (format)
          this.addFormat(name, format);
      }
    }
    function addInitialKeywords(defs) {
      if (Array.isArray(defs)) {
        this.addVocabulary(defs);
        return;
      }
      this.logger.warn("keywords option as map is deprecated, pass array");
      for (const keyword in defs) {
        const def = defs[keyword];
        if (!def.keyword)
          def.keyword = keyword;
        this.addKeyword(def);
      }
    }
    function getMetaSchemaOptions() {
      const metaOpts = { ...this.opts };
      for (const opt of META_IGNORE_OPTIONS)
        delete metaOpts[opt];
      return metaOpts;
    }
    var noLogs = { log() {
    }, warn() {
    }, error() {
    } };
    function getLogger(logger) {
      if (logger === false)
        return noLogs;
      if (logger === void 0)
        return console;
      if (logger.log && logger.warn && logger.error)
        return logger;
      throw new Error("logger must implement log, warn and error methods");
    }
    var KEYWORD_NAME = /^[a-z_$][a-z0-9_$:-]*$/i;
    function checkKeyword(keyword, def) {
      const { RULES } = this;
      (0, util_1.eachItem)(keyword, (kwd) => {
        if (RULES.keywords[kwd])
          throw new Error(`Keyword ${kwd} is already defined`);
        if (!KEYWORD_NAME.test(kwd))
          throw new Error(`Keyword ${kwd} has invalid name`);
      });
      if (!def)
        return;
      if (def.$data && !("code" in def || "validate" in def)) {
        throw new Error('$data keyword must have "code" or "validate" function');
      }
    }
    function addRule(keyword, definition, dataType) {
      var _a;
      const post = definition === null || definition === void 0 ? void 0 : definition.post;
      if (dataType && post)
        throw new Error('keyword with "post" flag cannot have "type"');
      const { RULES } = this;
      let ruleGroup = post ? RULES.post : RULES.rules.find(({ type: t }) => t === dataType);
      if (!ruleGroup) {
        ruleGroup = { type: dataType, rules: [] };
        RULES.rules.push(ruleGroup);
      }
      RULES.keywords[keyword] = true;
      if (!definition)
        return;
      const rule41 = {
        keyword,
        definition: {
          ...definition,
          type: (0, dataType_1.getJSONTypes)(definition.type),
          schemaType: (0, dataType_1.getJSONTypes)(definition.schemaType)
        }
      };
      if (definition.before)
        addBeforeRule.call(this, ruleGroup, rule41, definition.before);
      else
        ruleGroup.rules.push(rule41);
      RULES.all[keyword] = rule41;
      (_a = definition.implements) === null || _a === void 0 ? void 0 : _a.forEach((kwd) => this.addKeyword(kwd));
    }
    function addBeforeRule(ruleGroup, rule41, before) {
      const i2 = ruleGroup.rules.findIndex((_rule) => _rule.keyword === before);
      if (i2 >= 0) {
        ruleGroup.rules.splice(i2, 0, rule41);
      } else {
        ruleGroup.rules.push(rule41);
        this.logger.warn(`rule ${before} is not defined`);
      }
    }
    function keywordMetaschema(def) {
      let { metaSchema } = def;
      if (metaSchema === void 0)
        return;
      if (def.$data && this.opts.$data)
        metaSchema = schemaOrData(metaSchema);
      def.validateSchema = this.compile(metaSchema, true);
    }
    var $dataRef = {
      $ref: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#"
    };
    function schemaOrData(schema2) {
      return { anyOf: [schema2, $dataRef] };
    }
  }
});

// node_modules/ajv/dist/vocabularies/core/id.js
var require_id = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/id.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var def = {
      keyword: "id",
      code() {
        throw new Error('NOT SUPPORTED: keyword "id", use "$id" for schema ID');
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/ref.js
var require_ref = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/ref.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.callRef = exports.getValidate = void 0;
    var ref_error_1 = require_ref_error();
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var compile_1 = require_compile();
    var util_1 = require_util2();
    var def = {
      keyword: "$ref",
      schemaType: "string",
      code(cxt) {
        const { gen, schema: $ref, it } = cxt;
        const { baseId, schemaEnv: env, validateName, opts, self } = it;
        const { root } = env;
        if (($ref === "#" || $ref === "#/") && baseId === root.baseId)
          return callRootRef();
        const schOrEnv = compile_1.resolveRef.call(self, root, baseId, $ref);
        if (schOrEnv === void 0)
          throw new ref_error_1.default(it.opts.uriResolver, baseId, $ref);
        if (schOrEnv instanceof compile_1.SchemaEnv)
          return callValidate(schOrEnv);
        return inlineRefSchema(schOrEnv);
        function callRootRef() {
          if (env === root)
            return callRef(cxt, validateName, env, env.$async);
          const rootName = gen.scopeValue("root", { ref: root });
          return callRef(cxt, (0, codegen_1._)`${rootName}.validate`, root, root.$async);
        }
        function callValidate(sch) {
          const v = getValidate(cxt, sch);
          callRef(cxt, v, sch, sch.$async);
        }
        function inlineRefSchema(sch) {
          const schName = gen.scopeValue("schema", opts.code.source === true ? { ref: sch, code: (0, codegen_1.stringify)(sch) } : { ref: sch });
          const valid = gen.name("valid");
          const schCxt = cxt.subschema({
            schema: sch,
            dataTypes: [],
            schemaPath: codegen_1.nil,
            topSchemaRef: schName,
            errSchemaPath: $ref
          }, valid);
          cxt.mergeEvaluated(schCxt);
          cxt.ok(valid);
        }
      }
    };
    function getValidate(cxt, sch) {
      const { gen } = cxt;
      return sch.validate ? gen.scopeValue("validate", { ref: sch.validate }) : (0, codegen_1._)`${gen.scopeValue("wrapper", { ref: sch })}.validate`;
    }
    exports.getValidate = getValidate;
    function callRef(cxt, v, sch, $async) {
      const { gen, it } = cxt;
      const { allErrors, schemaEnv: env, opts } = it;
      const passCxt = opts.passContext ? names_1.default.this : codegen_1.nil;
      if ($async)
        callAsyncRef();
      else
        callSyncRef();
      function callAsyncRef() {
        if (!env.$async)
          throw new Error("async schema referenced by sync schema");
        const valid = gen.let("valid");
        gen.try(() => {
          gen.code((0, codegen_1._)`await ${(0, code_1.callValidateCode)(cxt, v, passCxt)}`);
          addEvaluatedFrom(v);
          if (!allErrors)
            gen.assign(valid, true);
        }, (e) => {
          gen.if((0, codegen_1._)`!(${e} instanceof ${it.ValidationError})`, () => gen.throw(e));
          addErrorsFrom(e);
          if (!allErrors)
            gen.assign(valid, false);
        });
        cxt.ok(valid);
      }
      function callSyncRef() {
        cxt.result((0, code_1.callValidateCode)(cxt, v, passCxt), () => addEvaluatedFrom(v), () => addErrorsFrom(v));
      }
      function addErrorsFrom(source) {
        const errs = (0, codegen_1._)`${source}.errors`;
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`);
        gen.assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
      }
      function addEvaluatedFrom(source) {
        var _a;
        if (!it.opts.unevaluated)
          return;
        const schEvaluated = (_a = sch === null || sch === void 0 ? void 0 : sch.validate) === null || _a === void 0 ? void 0 : _a.evaluated;
        if (it.props !== true) {
          if (schEvaluated && !schEvaluated.dynamicProps) {
            if (schEvaluated.props !== void 0) {
              it.props = util_1.mergeEvaluated.props(gen, schEvaluated.props, it.props);
            }
          } else {
            const props = gen.var("props", (0, codegen_1._)`${source}.evaluated.props`);
            it.props = util_1.mergeEvaluated.props(gen, props, it.props, codegen_1.Name);
          }
        }
        if (it.items !== true) {
          if (schEvaluated && !schEvaluated.dynamicItems) {
            if (schEvaluated.items !== void 0) {
              it.items = util_1.mergeEvaluated.items(gen, schEvaluated.items, it.items);
            }
          } else {
            const items = gen.var("items", (0, codegen_1._)`${source}.evaluated.items`);
            it.items = util_1.mergeEvaluated.items(gen, items, it.items, codegen_1.Name);
          }
        }
      }
    }
    exports.callRef = callRef;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/index.js
var require_core2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var id_1 = require_id();
    var ref_1 = require_ref();
    var core2 = [
      "$schema",
      "$id",
      "$defs",
      "$vocabulary",
      { keyword: "$comment" },
      "definitions",
      id_1.default,
      ref_1.default
    ];
    exports.default = core2;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitNumber.js
var require_limitNumber = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitNumber.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var ops = codegen_1.operators;
    var KWDs = {
      maximum: { okStr: "<=", ok: ops.LTE, fail: ops.GT },
      minimum: { okStr: ">=", ok: ops.GTE, fail: ops.LT },
      exclusiveMaximum: { okStr: "<", ok: ops.LT, fail: ops.GTE },
      exclusiveMinimum: { okStr: ">", ok: ops.GT, fail: ops.LTE }
    };
    var error = {
      message: ({ keyword, schemaCode }) => (0, codegen_1.str)`must be ${KWDs[keyword].okStr} ${schemaCode}`,
      params: ({ keyword, schemaCode }) => (0, codegen_1._)`{comparison: ${KWDs[keyword].okStr}, limit: ${schemaCode}}`
    };
    var def = {
      keyword: Object.keys(KWDs),
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        cxt.fail$data((0, codegen_1._)`${data} ${KWDs[keyword].fail} ${schemaCode} || isNaN(${data})`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/multipleOf.js
var require_multipleOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/multipleOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must be multiple of ${schemaCode}`,
      params: ({ schemaCode }) => (0, codegen_1._)`{multipleOf: ${schemaCode}}`
    };
    var def = {
      keyword: "multipleOf",
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, schemaCode, it } = cxt;
        const prec = it.opts.multipleOfPrecision;
        const res = gen.let("res");
        const invalid2 = prec ? (0, codegen_1._)`Math.abs(Math.round(${res}) - ${res}) > 1e-${prec}` : (0, codegen_1._)`${res} !== parseInt(${res})`;
        cxt.fail$data((0, codegen_1._)`(${schemaCode} === 0 || (${res} = ${data}/${schemaCode}, ${invalid2}))`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str2) {
      const len = str2.length;
      let length = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length++;
        value = str2.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str2.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitLength.js
var require_limitLength = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitLength.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var ucs2length_1 = require_ucs2length();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxLength" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} characters`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxLength", "minLength"],
      type: "string",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode, it } = cxt;
        const op = keyword === "maxLength" ? codegen_1.operators.GT : codegen_1.operators.LT;
        const len = it.opts.unicode === false ? (0, codegen_1._)`${data}.length` : (0, codegen_1._)`${(0, util_1.useFunc)(cxt.gen, ucs2length_1.default)}(${data})`;
        cxt.fail$data((0, codegen_1._)`${len} ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/pattern.js
var require_pattern = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/pattern.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var util_1 = require_util2();
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match pattern "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{pattern: ${schemaCode}}`
    };
    var def = {
      keyword: "pattern",
      type: "string",
      schemaType: "string",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema: schema2, schemaCode, it } = cxt;
        const u = it.opts.unicodeRegExp ? "u" : "";
        if ($data) {
          const { regExp } = it.opts.code;
          const regExpCode = regExp.code === "new RegExp" ? (0, codegen_1._)`new RegExp` : (0, util_1.useFunc)(gen, regExp);
          const valid = gen.let("valid");
          gen.try(() => gen.assign(valid, (0, codegen_1._)`${regExpCode}(${schemaCode}, ${u}).test(${data})`), () => gen.assign(valid, false));
          cxt.fail$data((0, codegen_1._)`!${valid}`);
        } else {
          const regExp = (0, code_1.usePattern)(cxt, schema2);
          cxt.fail$data((0, codegen_1._)`!${regExp}.test(${data})`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitProperties.js
var require_limitProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxProperties" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} properties`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxProperties", "minProperties"],
      type: "object",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxProperties" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`Object.keys(${data}).length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/required.js
var require_required = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/required.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: ({ params: { missingProperty } }) => (0, codegen_1.str)`must have required property '${missingProperty}'`,
      params: ({ params: { missingProperty } }) => (0, codegen_1._)`{missingProperty: ${missingProperty}}`
    };
    var def = {
      keyword: "required",
      type: "object",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, schema: schema2, schemaCode, data, $data, it } = cxt;
        const { opts } = it;
        if (!$data && schema2.length === 0)
          return;
        const useLoop = schema2.length >= opts.loopRequired;
        if (it.allErrors)
          allErrorsMode();
        else
          exitOnErrorMode();
        if (opts.strictRequired) {
          const props = cxt.parentSchema.properties;
          const { definedProperties } = cxt.it;
          for (const requiredKey of schema2) {
            if ((props === null || props === void 0 ? void 0 : props[requiredKey]) === void 0 && !definedProperties.has(requiredKey)) {
              const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
              const msg = `required property "${requiredKey}" is not defined at "${schemaPath}" (strictRequired)`;
              (0, util_1.checkStrictMode)(it, msg, it.opts.strictRequired);
            }
          }
        }
        function allErrorsMode() {
          if (useLoop || $data) {
            cxt.block$data(codegen_1.nil, loopAllRequired);
          } else {
            for (const prop of schema2) {
              (0, code_1.checkReportMissingProp)(cxt, prop);
            }
          }
        }
        function exitOnErrorMode() {
          const missing = gen.let("missing");
          if (useLoop || $data) {
            const valid = gen.let("valid", true);
            cxt.block$data(valid, () => loopUntilMissing(missing, valid));
            cxt.ok(valid);
          } else {
            gen.if((0, code_1.checkMissingProp)(cxt, schema2, missing));
            (0, code_1.reportMissingProp)(cxt, missing);
            gen.else();
          }
        }
        function loopAllRequired() {
          gen.forOf("prop", schemaCode, (prop) => {
            cxt.setParams({ missingProperty: prop });
            gen.if((0, code_1.noPropertyInData)(gen, data, prop, opts.ownProperties), () => cxt.error());
          });
        }
        function loopUntilMissing(missing, valid) {
          cxt.setParams({ missingProperty: missing });
          gen.forOf(missing, schemaCode, () => {
            gen.assign(valid, (0, code_1.propertyInData)(gen, data, missing, opts.ownProperties));
            gen.if((0, codegen_1.not)(valid), () => {
              cxt.error();
              gen.break();
            });
          }, codegen_1.nil);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitItems.js
var require_limitItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxItems" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} items`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxItems", "minItems"],
      type: "array",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxItems" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`${data}.length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/equal.js
var require_equal = __commonJS({
  "node_modules/ajv/dist/runtime/equal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var equal = require_fast_deep_equal();
    equal.code = 'require("ajv/dist/runtime/equal").default';
    exports.default = equal;
  }
});

// node_modules/ajv/dist/vocabularies/validation/uniqueItems.js
var require_uniqueItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/uniqueItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var dataType_1 = require_dataType();
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var equal_1 = require_equal();
    var error = {
      message: ({ params: { i: i2, j } }) => (0, codegen_1.str)`must NOT have duplicate items (items ## ${j} and ${i2} are identical)`,
      params: ({ params: { i: i2, j } }) => (0, codegen_1._)`{i: ${i2}, j: ${j}}`
    };
    var def = {
      keyword: "uniqueItems",
      type: "array",
      schemaType: "boolean",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema: schema2, parentSchema, schemaCode, it } = cxt;
        if (!$data && !schema2)
          return;
        const valid = gen.let("valid");
        const itemTypes = parentSchema.items ? (0, dataType_1.getSchemaTypes)(parentSchema.items) : [];
        cxt.block$data(valid, validateUniqueItems, (0, codegen_1._)`${schemaCode} === false`);
        cxt.ok(valid);
        function validateUniqueItems() {
          const i2 = gen.let("i", (0, codegen_1._)`${data}.length`);
          const j = gen.let("j");
          cxt.setParams({ i: i2, j });
          gen.assign(valid, true);
          gen.if((0, codegen_1._)`${i2} > 1`, () => (canOptimize() ? loopN : loopN2)(i2, j));
        }
        function canOptimize() {
          return itemTypes.length > 0 && !itemTypes.some((t) => t === "object" || t === "array");
        }
        function loopN(i2, j) {
          const item = gen.name("item");
          const wrongType = (0, dataType_1.checkDataTypes)(itemTypes, item, it.opts.strictNumbers, dataType_1.DataType.Wrong);
          const indices = gen.const("indices", (0, codegen_1._)`{}`);
          gen.for((0, codegen_1._)`;${i2}--;`, () => {
            gen.let(item, (0, codegen_1._)`${data}[${i2}]`);
            gen.if(wrongType, (0, codegen_1._)`continue`);
            if (itemTypes.length > 1)
              gen.if((0, codegen_1._)`typeof ${item} == "string"`, (0, codegen_1._)`${item} += "_"`);
            gen.if((0, codegen_1._)`typeof ${indices}[${item}] == "number"`, () => {
              gen.assign(j, (0, codegen_1._)`${indices}[${item}]`);
              cxt.error();
              gen.assign(valid, false).break();
            }).code((0, codegen_1._)`${indices}[${item}] = ${i2}`);
          });
        }
        function loopN2(i2, j) {
          const eql = (0, util_1.useFunc)(gen, equal_1.default);
          const outer = gen.name("outer");
          gen.label(outer).for((0, codegen_1._)`;${i2}--;`, () => gen.for((0, codegen_1._)`${j} = ${i2}; ${j}--;`, () => gen.if((0, codegen_1._)`${eql}(${data}[${i2}], ${data}[${j}])`, () => {
            cxt.error();
            gen.assign(valid, false).break(outer);
          })));
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/const.js
var require_const = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/const.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to constant",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValue: ${schemaCode}}`
    };
    var def = {
      keyword: "const",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schemaCode, schema: schema2 } = cxt;
        if ($data || schema2 && typeof schema2 == "object") {
          cxt.fail$data((0, codegen_1._)`!${(0, util_1.useFunc)(gen, equal_1.default)}(${data}, ${schemaCode})`);
        } else {
          cxt.fail((0, codegen_1._)`${schema2} !== ${data}`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/enum.js
var require_enum = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/enum.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to one of the allowed values",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValues: ${schemaCode}}`
    };
    var def = {
      keyword: "enum",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema: schema2, schemaCode, it } = cxt;
        if (!$data && schema2.length === 0)
          throw new Error("enum must have non-empty array");
        const useLoop = schema2.length >= it.opts.loopEnum;
        let eql;
        const getEql = () => eql !== null && eql !== void 0 ? eql : eql = (0, util_1.useFunc)(gen, equal_1.default);
        let valid;
        if (useLoop || $data) {
          valid = gen.let("valid");
          cxt.block$data(valid, loopEnum);
        } else {
          if (!Array.isArray(schema2))
            throw new Error("ajv implementation error");
          const vSchema = gen.const("vSchema", schemaCode);
          valid = (0, codegen_1.or)(...schema2.map((_x, i2) => equalCode(vSchema, i2)));
        }
        cxt.pass(valid);
        function loopEnum() {
          gen.assign(valid, false);
          gen.forOf("v", schemaCode, (v) => gen.if((0, codegen_1._)`${getEql()}(${data}, ${v})`, () => gen.assign(valid, true).break()));
        }
        function equalCode(vSchema, i2) {
          const sch = schema2[i2];
          return typeof sch === "object" && sch !== null ? (0, codegen_1._)`${getEql()}(${data}, ${vSchema}[${i2}])` : (0, codegen_1._)`${data} === ${sch}`;
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/index.js
var require_validation = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var limitNumber_1 = require_limitNumber();
    var multipleOf_1 = require_multipleOf();
    var limitLength_1 = require_limitLength();
    var pattern_1 = require_pattern();
    var limitProperties_1 = require_limitProperties();
    var required_1 = require_required();
    var limitItems_1 = require_limitItems();
    var uniqueItems_1 = require_uniqueItems();
    var const_1 = require_const();
    var enum_1 = require_enum();
    var validation = [
      // number
      limitNumber_1.default,
      multipleOf_1.default,
      // string
      limitLength_1.default,
      pattern_1.default,
      // object
      limitProperties_1.default,
      required_1.default,
      // array
      limitItems_1.default,
      uniqueItems_1.default,
      // any
      { keyword: "type", schemaType: ["string", "array"] },
      { keyword: "nullable", schemaType: "boolean" },
      const_1.default,
      enum_1.default
    ];
    exports.default = validation;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalItems.js
var require_additionalItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateAdditionalItems = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "additionalItems",
      type: "array",
      schemaType: ["boolean", "object"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { parentSchema, it } = cxt;
        const { items } = parentSchema;
        if (!Array.isArray(items)) {
          (0, util_1.checkStrictMode)(it, '"additionalItems" is ignored when "items" is not an array of schemas');
          return;
        }
        validateAdditionalItems(cxt, items);
      }
    };
    function validateAdditionalItems(cxt, items) {
      const { gen, schema: schema2, data, keyword, it } = cxt;
      it.items = true;
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      if (schema2 === false) {
        cxt.setParams({ len: items.length });
        cxt.pass((0, codegen_1._)`${len} <= ${items.length}`);
      } else if (typeof schema2 == "object" && !(0, util_1.alwaysValidSchema)(it, schema2)) {
        const valid = gen.var("valid", (0, codegen_1._)`${len} <= ${items.length}`);
        gen.if((0, codegen_1.not)(valid), () => validateItems(valid));
        cxt.ok(valid);
      }
      function validateItems(valid) {
        gen.forRange("i", items.length, len, (i2) => {
          cxt.subschema({ keyword, dataProp: i2, dataPropType: util_1.Type.Num }, valid);
          if (!it.allErrors)
            gen.if((0, codegen_1.not)(valid), () => gen.break());
        });
      }
    }
    exports.validateAdditionalItems = validateAdditionalItems;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items.js
var require_items = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateTuple = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var code_1 = require_code2();
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "array", "boolean"],
      before: "uniqueItems",
      code(cxt) {
        const { schema: schema2, it } = cxt;
        if (Array.isArray(schema2))
          return validateTuple(cxt, "additionalItems", schema2);
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema2))
          return;
        cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    function validateTuple(cxt, extraItems, schArr = cxt.schema) {
      const { gen, parentSchema, data, keyword, it } = cxt;
      checkStrictTuple(parentSchema);
      if (it.opts.unevaluated && schArr.length && it.items !== true) {
        it.items = util_1.mergeEvaluated.items(gen, schArr.length, it.items);
      }
      const valid = gen.name("valid");
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      schArr.forEach((sch, i2) => {
        if ((0, util_1.alwaysValidSchema)(it, sch))
          return;
        gen.if((0, codegen_1._)`${len} > ${i2}`, () => cxt.subschema({
          keyword,
          schemaProp: i2,
          dataProp: i2
        }, valid));
        cxt.ok(valid);
      });
      function checkStrictTuple(sch) {
        const { opts, errSchemaPath } = it;
        const l = schArr.length;
        const fullTuple = l === sch.minItems && (l === sch.maxItems || sch[extraItems] === false);
        if (opts.strictTuples && !fullTuple) {
          const msg = `"${keyword}" is ${l}-tuple, but minItems or maxItems/${extraItems} are not specified or different at path "${errSchemaPath}"`;
          (0, util_1.checkStrictMode)(it, msg, opts.strictTuples);
        }
      }
    }
    exports.validateTuple = validateTuple;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/prefixItems.js
var require_prefixItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/prefixItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var items_1 = require_items();
    var def = {
      keyword: "prefixItems",
      type: "array",
      schemaType: ["array"],
      before: "uniqueItems",
      code: (cxt) => (0, items_1.validateTuple)(cxt, "items")
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items2020.js
var require_items2020 = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items2020.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var code_1 = require_code2();
    var additionalItems_1 = require_additionalItems();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { schema: schema2, parentSchema, it } = cxt;
        const { prefixItems } = parentSchema;
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema2))
          return;
        if (prefixItems)
          (0, additionalItems_1.validateAdditionalItems)(cxt, prefixItems);
        else
          cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/contains.js
var require_contains = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/contains.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1.str)`must contain at least ${min} valid item(s)` : (0, codegen_1.str)`must contain at least ${min} and no more than ${max} valid item(s)`,
      params: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1._)`{minContains: ${min}}` : (0, codegen_1._)`{minContains: ${min}, maxContains: ${max}}`
    };
    var def = {
      keyword: "contains",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema: schema2, parentSchema, data, it } = cxt;
        let min;
        let max;
        const { minContains, maxContains } = parentSchema;
        if (it.opts.next) {
          min = minContains === void 0 ? 1 : minContains;
          max = maxContains;
        } else {
          min = 1;
        }
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        cxt.setParams({ min, max });
        if (max === void 0 && min === 0) {
          (0, util_1.checkStrictMode)(it, `"minContains" == 0 without "maxContains": "contains" keyword ignored`);
          return;
        }
        if (max !== void 0 && min > max) {
          (0, util_1.checkStrictMode)(it, `"minContains" > "maxContains" is always invalid`);
          cxt.fail();
          return;
        }
        if ((0, util_1.alwaysValidSchema)(it, schema2)) {
          let cond = (0, codegen_1._)`${len} >= ${min}`;
          if (max !== void 0)
            cond = (0, codegen_1._)`${cond} && ${len} <= ${max}`;
          cxt.pass(cond);
          return;
        }
        it.items = true;
        const valid = gen.name("valid");
        if (max === void 0 && min === 1) {
          validateItems(valid, () => gen.if(valid, () => gen.break()));
        } else if (min === 0) {
          gen.let(valid, true);
          if (max !== void 0)
            gen.if((0, codegen_1._)`${data}.length > 0`, validateItemsWithCount);
        } else {
          gen.let(valid, false);
          validateItemsWithCount();
        }
        cxt.result(valid, () => cxt.reset());
        function validateItemsWithCount() {
          const schValid = gen.name("_valid");
          const count = gen.let("count", 0);
          validateItems(schValid, () => gen.if(schValid, () => checkLimits(count)));
        }
        function validateItems(_valid, block) {
          gen.forRange("i", 0, len, (i2) => {
            cxt.subschema({
              keyword: "contains",
              dataProp: i2,
              dataPropType: util_1.Type.Num,
              compositeRule: true
            }, _valid);
            block();
          });
        }
        function checkLimits(count) {
          gen.code((0, codegen_1._)`${count}++`);
          if (max === void 0) {
            gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true).break());
          } else {
            gen.if((0, codegen_1._)`${count} > ${max}`, () => gen.assign(valid, false).break());
            if (min === 1)
              gen.assign(valid, true);
            else
              gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true));
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/dependencies.js
var require_dependencies = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/dependencies.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateSchemaDeps = exports.validatePropertyDeps = exports.error = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var code_1 = require_code2();
    exports.error = {
      message: ({ params: { property, depsCount, deps } }) => {
        const property_ies = depsCount === 1 ? "property" : "properties";
        return (0, codegen_1.str)`must have ${property_ies} ${deps} when property ${property} is present`;
      },
      params: ({ params: { property, depsCount, deps, missingProperty } }) => (0, codegen_1._)`{property: ${property},
    missingProperty: ${missingProperty},
    depsCount: ${depsCount},
    deps: ${deps}}`
      // TODO change to reference
    };
    var def = {
      keyword: "dependencies",
      type: "object",
      schemaType: "object",
      error: exports.error,
      code(cxt) {
        const [propDeps, schDeps] = splitDependencies(cxt);
        validatePropertyDeps(cxt, propDeps);
        validateSchemaDeps(cxt, schDeps);
      }
    };
    function splitDependencies({ schema: schema2 }) {
      const propertyDeps = {};
      const schemaDeps = {};
      for (const key in schema2) {
        if (key === "__proto__")
          continue;
        const deps = Array.isArray(schema2[key]) ? propertyDeps : schemaDeps;
        deps[key] = schema2[key];
      }
      return [propertyDeps, schemaDeps];
    }
    function validatePropertyDeps(cxt, propertyDeps = cxt.schema) {
      const { gen, data, it } = cxt;
      if (Object.keys(propertyDeps).length === 0)
        return;
      const missing = gen.let("missing");
      for (const prop in propertyDeps) {
        const deps = propertyDeps[prop];
        if (deps.length === 0)
          continue;
        const hasProperty = (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties);
        cxt.setParams({
          property: prop,
          depsCount: deps.length,
          deps: deps.join(", ")
        });
        if (it.allErrors) {
          gen.if(hasProperty, () => {
            for (const depProp of deps) {
              (0, code_1.checkReportMissingProp)(cxt, depProp);
            }
          });
        } else {
          gen.if((0, codegen_1._)`${hasProperty} && (${(0, code_1.checkMissingProp)(cxt, deps, missing)})`);
          (0, code_1.reportMissingProp)(cxt, missing);
          gen.else();
        }
      }
    }
    exports.validatePropertyDeps = validatePropertyDeps;
    function validateSchemaDeps(cxt, schemaDeps = cxt.schema) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      for (const prop in schemaDeps) {
        if ((0, util_1.alwaysValidSchema)(it, schemaDeps[prop]))
          continue;
        gen.if(
          (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties),
          () => {
            const schCxt = cxt.subschema({ keyword, schemaProp: prop }, valid);
            cxt.mergeValidEvaluated(schCxt, valid);
          },
          () => gen.var(valid, true)
          // TODO var
        );
        cxt.ok(valid);
      }
    }
    exports.validateSchemaDeps = validateSchemaDeps;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/propertyNames.js
var require_propertyNames = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/propertyNames.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: "property name must be valid",
      params: ({ params }) => (0, codegen_1._)`{propertyName: ${params.propertyName}}`
    };
    var def = {
      keyword: "propertyNames",
      type: "object",
      schemaType: ["object", "boolean"],
      error,
      code(cxt) {
        const { gen, schema: schema2, data, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema2))
          return;
        const valid = gen.name("valid");
        gen.forIn("key", data, (key) => {
          cxt.setParams({ propertyName: key });
          cxt.subschema({
            keyword: "propertyNames",
            data: key,
            dataTypes: ["string"],
            propertyName: key,
            compositeRule: true
          }, valid);
          gen.if((0, codegen_1.not)(valid), () => {
            cxt.error(true);
            if (!it.allErrors)
              gen.break();
          });
        });
        cxt.ok(valid);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js
var require_additionalProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var util_1 = require_util2();
    var error = {
      message: "must NOT have additional properties",
      params: ({ params }) => (0, codegen_1._)`{additionalProperty: ${params.additionalProperty}}`
    };
    var def = {
      keyword: "additionalProperties",
      type: ["object"],
      schemaType: ["boolean", "object"],
      allowUndefined: true,
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema: schema2, parentSchema, data, errsCount, it } = cxt;
        if (!errsCount)
          throw new Error("ajv implementation error");
        const { allErrors, opts } = it;
        it.props = true;
        if (opts.removeAdditional !== "all" && (0, util_1.alwaysValidSchema)(it, schema2))
          return;
        const props = (0, code_1.allSchemaProperties)(parentSchema.properties);
        const patProps = (0, code_1.allSchemaProperties)(parentSchema.patternProperties);
        checkAdditionalProperties();
        cxt.ok((0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
        function checkAdditionalProperties() {
          gen.forIn("key", data, (key) => {
            if (!props.length && !patProps.length)
              additionalPropertyCode(key);
            else
              gen.if(isAdditional(key), () => additionalPropertyCode(key));
          });
        }
        function isAdditional(key) {
          let definedProp;
          if (props.length > 8) {
            const propsSchema = (0, util_1.schemaRefOrVal)(it, parentSchema.properties, "properties");
            definedProp = (0, code_1.isOwnProperty)(gen, propsSchema, key);
          } else if (props.length) {
            definedProp = (0, codegen_1.or)(...props.map((p) => (0, codegen_1._)`${key} === ${p}`));
          } else {
            definedProp = codegen_1.nil;
          }
          if (patProps.length) {
            definedProp = (0, codegen_1.or)(definedProp, ...patProps.map((p) => (0, codegen_1._)`${(0, code_1.usePattern)(cxt, p)}.test(${key})`));
          }
          return (0, codegen_1.not)(definedProp);
        }
        function deleteAdditional(key) {
          gen.code((0, codegen_1._)`delete ${data}[${key}]`);
        }
        function additionalPropertyCode(key) {
          if (opts.removeAdditional === "all" || opts.removeAdditional && schema2 === false) {
            deleteAdditional(key);
            return;
          }
          if (schema2 === false) {
            cxt.setParams({ additionalProperty: key });
            cxt.error();
            if (!allErrors)
              gen.break();
            return;
          }
          if (typeof schema2 == "object" && !(0, util_1.alwaysValidSchema)(it, schema2)) {
            const valid = gen.name("valid");
            if (opts.removeAdditional === "failing") {
              applyAdditionalSchema(key, valid, false);
              gen.if((0, codegen_1.not)(valid), () => {
                cxt.reset();
                deleteAdditional(key);
              });
            } else {
              applyAdditionalSchema(key, valid);
              if (!allErrors)
                gen.if((0, codegen_1.not)(valid), () => gen.break());
            }
          }
        }
        function applyAdditionalSchema(key, valid, errors) {
          const subschema = {
            keyword: "additionalProperties",
            dataProp: key,
            dataPropType: util_1.Type.Str
          };
          if (errors === false) {
            Object.assign(subschema, {
              compositeRule: true,
              createErrors: false,
              allErrors: false
            });
          }
          cxt.subschema(subschema, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/properties.js
var require_properties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/properties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var validate_1 = require_validate();
    var code_1 = require_code2();
    var util_1 = require_util2();
    var additionalProperties_1 = require_additionalProperties();
    var def = {
      keyword: "properties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema: schema2, parentSchema, data, it } = cxt;
        if (it.opts.removeAdditional === "all" && parentSchema.additionalProperties === void 0) {
          additionalProperties_1.default.code(new validate_1.KeywordCxt(it, additionalProperties_1.default, "additionalProperties"));
        }
        const allProps = (0, code_1.allSchemaProperties)(schema2);
        for (const prop of allProps) {
          it.definedProperties.add(prop);
        }
        if (it.opts.unevaluated && allProps.length && it.props !== true) {
          it.props = util_1.mergeEvaluated.props(gen, (0, util_1.toHash)(allProps), it.props);
        }
        const properties = allProps.filter((p) => !(0, util_1.alwaysValidSchema)(it, schema2[p]));
        if (properties.length === 0)
          return;
        const valid = gen.name("valid");
        for (const prop of properties) {
          if (hasDefault(prop)) {
            applyPropertySchema(prop);
          } else {
            gen.if((0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties));
            applyPropertySchema(prop);
            if (!it.allErrors)
              gen.else().var(valid, true);
            gen.endIf();
          }
          cxt.it.definedProperties.add(prop);
          cxt.ok(valid);
        }
        function hasDefault(prop) {
          return it.opts.useDefaults && !it.compositeRule && schema2[prop].default !== void 0;
        }
        function applyPropertySchema(prop) {
          cxt.subschema({
            keyword: "properties",
            schemaProp: prop,
            dataProp: prop
          }, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/patternProperties.js
var require_patternProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/patternProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var util_2 = require_util2();
    var def = {
      keyword: "patternProperties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema: schema2, data, parentSchema, it } = cxt;
        const { opts } = it;
        const patterns = (0, code_1.allSchemaProperties)(schema2);
        const alwaysValidPatterns = patterns.filter((p) => (0, util_1.alwaysValidSchema)(it, schema2[p]));
        if (patterns.length === 0 || alwaysValidPatterns.length === patterns.length && (!it.opts.unevaluated || it.props === true)) {
          return;
        }
        const checkProperties = opts.strictSchema && !opts.allowMatchingProperties && parentSchema.properties;
        const valid = gen.name("valid");
        if (it.props !== true && !(it.props instanceof codegen_1.Name)) {
          it.props = (0, util_2.evaluatedPropsToName)(gen, it.props);
        }
        const { props } = it;
        validatePatternProperties();
        function validatePatternProperties() {
          for (const pat of patterns) {
            if (checkProperties)
              checkMatchingProperties(pat);
            if (it.allErrors) {
              validateProperties(pat);
            } else {
              gen.var(valid, true);
              validateProperties(pat);
              gen.if(valid);
            }
          }
        }
        function checkMatchingProperties(pat) {
          for (const prop in checkProperties) {
            if (new RegExp(pat).test(prop)) {
              (0, util_1.checkStrictMode)(it, `property ${prop} matches pattern ${pat} (use allowMatchingProperties)`);
            }
          }
        }
        function validateProperties(pat) {
          gen.forIn("key", data, (key) => {
            gen.if((0, codegen_1._)`${(0, code_1.usePattern)(cxt, pat)}.test(${key})`, () => {
              const alwaysValid = alwaysValidPatterns.includes(pat);
              if (!alwaysValid) {
                cxt.subschema({
                  keyword: "patternProperties",
                  schemaProp: pat,
                  dataProp: key,
                  dataPropType: util_2.Type.Str
                }, valid);
              }
              if (it.opts.unevaluated && props !== true) {
                gen.assign((0, codegen_1._)`${props}[${key}]`, true);
              } else if (!alwaysValid && !it.allErrors) {
                gen.if((0, codegen_1.not)(valid), () => gen.break());
              }
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/not.js
var require_not = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/not.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util2();
    var def = {
      keyword: "not",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      code(cxt) {
        const { gen, schema: schema2, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema2)) {
          cxt.fail();
          return;
        }
        const valid = gen.name("valid");
        cxt.subschema({
          keyword: "not",
          compositeRule: true,
          createErrors: false,
          allErrors: false
        }, valid);
        cxt.failResult(valid, () => cxt.reset(), () => cxt.error());
      },
      error: { message: "must NOT be valid" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/anyOf.js
var require_anyOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/anyOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var def = {
      keyword: "anyOf",
      schemaType: "array",
      trackErrors: true,
      code: code_1.validateUnion,
      error: { message: "must match a schema in anyOf" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/oneOf.js
var require_oneOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/oneOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: "must match exactly one schema in oneOf",
      params: ({ params }) => (0, codegen_1._)`{passingSchemas: ${params.passing}}`
    };
    var def = {
      keyword: "oneOf",
      schemaType: "array",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema: schema2, parentSchema, it } = cxt;
        if (!Array.isArray(schema2))
          throw new Error("ajv implementation error");
        if (it.opts.discriminator && parentSchema.discriminator)
          return;
        const schArr = schema2;
        const valid = gen.let("valid", false);
        const passing = gen.let("passing", null);
        const schValid = gen.name("_valid");
        cxt.setParams({ passing });
        gen.block(validateOneOf);
        cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
        function validateOneOf() {
          schArr.forEach((sch, i2) => {
            let schCxt;
            if ((0, util_1.alwaysValidSchema)(it, sch)) {
              gen.var(schValid, true);
            } else {
              schCxt = cxt.subschema({
                keyword: "oneOf",
                schemaProp: i2,
                compositeRule: true
              }, schValid);
            }
            if (i2 > 0) {
              gen.if((0, codegen_1._)`${schValid} && ${valid}`).assign(valid, false).assign(passing, (0, codegen_1._)`[${passing}, ${i2}]`).else();
            }
            gen.if(schValid, () => {
              gen.assign(valid, true);
              gen.assign(passing, i2);
              if (schCxt)
                cxt.mergeEvaluated(schCxt, codegen_1.Name);
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/allOf.js
var require_allOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/allOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util2();
    var def = {
      keyword: "allOf",
      schemaType: "array",
      code(cxt) {
        const { gen, schema: schema2, it } = cxt;
        if (!Array.isArray(schema2))
          throw new Error("ajv implementation error");
        const valid = gen.name("valid");
        schema2.forEach((sch, i2) => {
          if ((0, util_1.alwaysValidSchema)(it, sch))
            return;
          const schCxt = cxt.subschema({ keyword: "allOf", schemaProp: i2 }, valid);
          cxt.ok(valid);
          cxt.mergeEvaluated(schCxt);
        });
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/if.js
var require_if = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/if.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util2();
    var error = {
      message: ({ params }) => (0, codegen_1.str)`must match "${params.ifClause}" schema`,
      params: ({ params }) => (0, codegen_1._)`{failingKeyword: ${params.ifClause}}`
    };
    var def = {
      keyword: "if",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, parentSchema, it } = cxt;
        if (parentSchema.then === void 0 && parentSchema.else === void 0) {
          (0, util_1.checkStrictMode)(it, '"if" without "then" and "else" is ignored');
        }
        const hasThen = hasSchema(it, "then");
        const hasElse = hasSchema(it, "else");
        if (!hasThen && !hasElse)
          return;
        const valid = gen.let("valid", true);
        const schValid = gen.name("_valid");
        validateIf();
        cxt.reset();
        if (hasThen && hasElse) {
          const ifClause = gen.let("ifClause");
          cxt.setParams({ ifClause });
          gen.if(schValid, validateClause("then", ifClause), validateClause("else", ifClause));
        } else if (hasThen) {
          gen.if(schValid, validateClause("then"));
        } else {
          gen.if((0, codegen_1.not)(schValid), validateClause("else"));
        }
        cxt.pass(valid, () => cxt.error(true));
        function validateIf() {
          const schCxt = cxt.subschema({
            keyword: "if",
            compositeRule: true,
            createErrors: false,
            allErrors: false
          }, schValid);
          cxt.mergeEvaluated(schCxt);
        }
        function validateClause(keyword, ifClause) {
          return () => {
            const schCxt = cxt.subschema({ keyword }, schValid);
            gen.assign(valid, schValid);
            cxt.mergeValidEvaluated(schCxt, valid);
            if (ifClause)
              gen.assign(ifClause, (0, codegen_1._)`${keyword}`);
            else
              cxt.setParams({ ifClause: keyword });
          };
        }
      }
    };
    function hasSchema(it, keyword) {
      const schema2 = it.schema[keyword];
      return schema2 !== void 0 && !(0, util_1.alwaysValidSchema)(it, schema2);
    }
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/thenElse.js
var require_thenElse = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/thenElse.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util2();
    var def = {
      keyword: ["then", "else"],
      schemaType: ["object", "boolean"],
      code({ keyword, parentSchema, it }) {
        if (parentSchema.if === void 0)
          (0, util_1.checkStrictMode)(it, `"${keyword}" without "if" is ignored`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/index.js
var require_applicator = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var additionalItems_1 = require_additionalItems();
    var prefixItems_1 = require_prefixItems();
    var items_1 = require_items();
    var items2020_1 = require_items2020();
    var contains_1 = require_contains();
    var dependencies_1 = require_dependencies();
    var propertyNames_1 = require_propertyNames();
    var additionalProperties_1 = require_additionalProperties();
    var properties_1 = require_properties();
    var patternProperties_1 = require_patternProperties();
    var not_1 = require_not();
    var anyOf_1 = require_anyOf();
    var oneOf_1 = require_oneOf();
    var allOf_1 = require_allOf();
    var if_1 = require_if();
    var thenElse_1 = require_thenElse();
    function getApplicator(draft2020 = false) {
      const applicator = [
        // any
        not_1.default,
        anyOf_1.default,
        oneOf_1.default,
        allOf_1.default,
        if_1.default,
        thenElse_1.default,
        // object
        propertyNames_1.default,
        additionalProperties_1.default,
        dependencies_1.default,
        properties_1.default,
        patternProperties_1.default
      ];
      if (draft2020)
        applicator.push(prefixItems_1.default, items2020_1.default);
      else
        applicator.push(additionalItems_1.default, items_1.default);
      applicator.push(contains_1.default);
      return applicator;
    }
    exports.default = getApplicator;
  }
});

// node_modules/ajv/dist/vocabularies/format/format.js
var require_format = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/format.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match format "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{format: ${schemaCode}}`
    };
    var def = {
      keyword: "format",
      type: ["number", "string"],
      schemaType: "string",
      $data: true,
      error,
      code(cxt, ruleType) {
        const { gen, data, $data, schema: schema2, schemaCode, it } = cxt;
        const { opts, errSchemaPath, schemaEnv, self } = it;
        if (!opts.validateFormats)
          return;
        if ($data)
          validate$DataFormat();
        else
          validateFormat();
        function validate$DataFormat() {
          const fmts = gen.scopeValue("formats", {
            ref: self.formats,
            code: opts.code.formats
          });
          const fDef = gen.const("fDef", (0, codegen_1._)`${fmts}[${schemaCode}]`);
          const fType = gen.let("fType");
          const format = gen.let("format");
          gen.if((0, codegen_1._)`typeof ${fDef} == "object" && !(${fDef} instanceof RegExp)`, () => gen.assign(fType, (0, codegen_1._)`${fDef}.type || "string"`).assign(format, (0, codegen_1._)`${fDef}.validate`), () => gen.assign(fType, (0, codegen_1._)`"string"`).assign(format, fDef));
          cxt.fail$data((0, codegen_1.or)(unknownFmt(), invalidFmt()));
          function unknownFmt() {
            if (opts.strictSchema === false)
              return codegen_1.nil;
            return (0, codegen_1._)`${schemaCode} && !${format}`;
          }
          function invalidFmt() {
            const callFormat = schemaEnv.$async ? (0, codegen_1._)`(${fDef}.async ? await ${format}(${data}) : ${format}(${data}))` : (0, codegen_1._)`${format}(${data})`;
            const validData = (0, codegen_1._)`(typeof ${format} == "function" ? ${callFormat} : ${format}.test(${data}))`;
            return (0, codegen_1._)`${format} && ${format} !== true && ${fType} === ${ruleType} && !${validData}`;
          }
        }
        function validateFormat() {
          const formatDef = self.formats[schema2];
          if (!formatDef) {
            unknownFormat();
            return;
          }
          if (formatDef === true)
            return;
          const [fmtType, format, fmtRef] = getFormat(formatDef);
          if (fmtType === ruleType)
            cxt.pass(validCondition());
          function unknownFormat() {
            if (opts.strictSchema === false) {
              self.logger.warn(unknownMsg());
              return;
            }
            throw new Error(unknownMsg());
            function unknownMsg() {
              return `unknown format "${schema2}" ignored in schema at path "${errSchemaPath}"`;
            }
          }
          function getFormat(fmtDef) {
            const code2 = fmtDef instanceof RegExp ? (0, codegen_1.regexpCode)(fmtDef) : opts.code.formats ? (0, codegen_1._)`${opts.code.formats}${(0, codegen_1.getProperty)(schema2)}` : void 0;
            const fmt = gen.scopeValue("formats", { key: schema2, ref: fmtDef, code: code2 });
            if (typeof fmtDef == "object" && !(fmtDef instanceof RegExp)) {
              return [fmtDef.type || "string", fmtDef.validate, (0, codegen_1._)`${fmt}.validate`];
            }
            return ["string", fmtDef, fmt];
          }
          function validCondition() {
            if (typeof formatDef == "object" && !(formatDef instanceof RegExp) && formatDef.async) {
              if (!schemaEnv.$async)
                throw new Error("async format in sync schema");
              return (0, codegen_1._)`await ${fmtRef}(${data})`;
            }
            return typeof format == "function" ? (0, codegen_1._)`${fmtRef}(${data})` : (0, codegen_1._)`${fmtRef}.test(${data})`;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/format/index.js
var require_format2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var format_1 = require_format();
    var format = [format_1.default];
    exports.default = format;
  }
});

// node_modules/ajv/dist/vocabularies/metadata.js
var require_metadata = __commonJS({
  "node_modules/ajv/dist/vocabularies/metadata.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.contentVocabulary = exports.metadataVocabulary = void 0;
    exports.metadataVocabulary = [
      "title",
      "description",
      "default",
      "deprecated",
      "readOnly",
      "writeOnly",
      "examples"
    ];
    exports.contentVocabulary = [
      "contentMediaType",
      "contentEncoding",
      "contentSchema"
    ];
  }
});

// node_modules/ajv/dist/vocabularies/draft7.js
var require_draft7 = __commonJS({
  "node_modules/ajv/dist/vocabularies/draft7.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var core_1 = require_core2();
    var validation_1 = require_validation();
    var applicator_1 = require_applicator();
    var format_1 = require_format2();
    var metadata_1 = require_metadata();
    var draft7Vocabularies = [
      core_1.default,
      validation_1.default,
      (0, applicator_1.default)(),
      format_1.default,
      metadata_1.metadataVocabulary,
      metadata_1.contentVocabulary
    ];
    exports.default = draft7Vocabularies;
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/types.js
var require_types = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/types.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DiscrError = void 0;
    var DiscrError;
    (function(DiscrError2) {
      DiscrError2["Tag"] = "tag";
      DiscrError2["Mapping"] = "mapping";
    })(DiscrError || (exports.DiscrError = DiscrError = {}));
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/index.js
var require_discriminator = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var types_1 = require_types();
    var compile_1 = require_compile();
    var ref_error_1 = require_ref_error();
    var util_1 = require_util2();
    var error = {
      message: ({ params: { discrError, tagName } }) => discrError === types_1.DiscrError.Tag ? `tag "${tagName}" must be string` : `value of tag "${tagName}" must be in oneOf`,
      params: ({ params: { discrError, tag, tagName } }) => (0, codegen_1._)`{error: ${discrError}, tag: ${tagName}, tagValue: ${tag}}`
    };
    var def = {
      keyword: "discriminator",
      type: "object",
      schemaType: "object",
      error,
      code(cxt) {
        const { gen, data, schema: schema2, parentSchema, it } = cxt;
        const { oneOf: oneOf2 } = parentSchema;
        if (!it.opts.discriminator) {
          throw new Error("discriminator: requires discriminator option");
        }
        const tagName = schema2.propertyName;
        if (typeof tagName != "string")
          throw new Error("discriminator: requires propertyName");
        if (schema2.mapping)
          throw new Error("discriminator: mapping is not supported");
        if (!oneOf2)
          throw new Error("discriminator: requires oneOf keyword");
        const valid = gen.let("valid", false);
        const tag = gen.const("tag", (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(tagName)}`);
        gen.if((0, codegen_1._)`typeof ${tag} == "string"`, () => validateMapping(), () => cxt.error(false, { discrError: types_1.DiscrError.Tag, tag, tagName }));
        cxt.ok(valid);
        function validateMapping() {
          const mapping = getMapping();
          gen.if(false);
          for (const tagValue in mapping) {
            gen.elseIf((0, codegen_1._)`${tag} === ${tagValue}`);
            gen.assign(valid, applyTagSchema(mapping[tagValue]));
          }
          gen.else();
          cxt.error(false, { discrError: types_1.DiscrError.Mapping, tag, tagName });
          gen.endIf();
        }
        function applyTagSchema(schemaProp) {
          const _valid = gen.name("valid");
          const schCxt = cxt.subschema({ keyword: "oneOf", schemaProp }, _valid);
          cxt.mergeEvaluated(schCxt, codegen_1.Name);
          return _valid;
        }
        function getMapping() {
          var _a;
          const oneOfMapping = {};
          const topRequired = hasRequired(parentSchema);
          let tagRequired = true;
          for (let i2 = 0; i2 < oneOf2.length; i2++) {
            let sch = oneOf2[i2];
            if ((sch === null || sch === void 0 ? void 0 : sch.$ref) && !(0, util_1.schemaHasRulesButRef)(sch, it.self.RULES)) {
              const ref = sch.$ref;
              sch = compile_1.resolveRef.call(it.self, it.schemaEnv.root, it.baseId, ref);
              if (sch instanceof compile_1.SchemaEnv)
                sch = sch.schema;
              if (sch === void 0)
                throw new ref_error_1.default(it.opts.uriResolver, it.baseId, ref);
            }
            const propSch = (_a = sch === null || sch === void 0 ? void 0 : sch.properties) === null || _a === void 0 ? void 0 : _a[tagName];
            if (typeof propSch != "object") {
              throw new Error(`discriminator: oneOf subschemas (or referenced schemas) must have "properties/${tagName}"`);
            }
            tagRequired = tagRequired && (topRequired || hasRequired(sch));
            addMappings(propSch, i2);
          }
          if (!tagRequired)
            throw new Error(`discriminator: "${tagName}" must be required`);
          return oneOfMapping;
          function hasRequired({ required }) {
            return Array.isArray(required) && required.includes(tagName);
          }
          function addMappings(sch, i2) {
            if (sch.const) {
              addMapping(sch.const, i2);
            } else if (sch.enum) {
              for (const tagValue of sch.enum) {
                addMapping(tagValue, i2);
              }
            } else {
              throw new Error(`discriminator: "properties/${tagName}" must have "const" or "enum"`);
            }
          }
          function addMapping(tagValue, i2) {
            if (typeof tagValue != "string" || tagValue in oneOfMapping) {
              throw new Error(`discriminator: "${tagName}" values must be unique strings`);
            }
            oneOfMapping[tagValue] = i2;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/refs/json-schema-draft-07.json
var require_json_schema_draft_07 = __commonJS({
  "node_modules/ajv/dist/refs/json-schema-draft-07.json"(exports, module) {
    module.exports = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "http://json-schema.org/draft-07/schema#",
      title: "Core schema meta-schema",
      definitions: {
        schemaArray: {
          type: "array",
          minItems: 1,
          items: { $ref: "#" }
        },
        nonNegativeInteger: {
          type: "integer",
          minimum: 0
        },
        nonNegativeIntegerDefault0: {
          allOf: [{ $ref: "#/definitions/nonNegativeInteger" }, { default: 0 }]
        },
        simpleTypes: {
          enum: ["array", "boolean", "integer", "null", "number", "object", "string"]
        },
        stringArray: {
          type: "array",
          items: { type: "string" },
          uniqueItems: true,
          default: []
        }
      },
      type: ["object", "boolean"],
      properties: {
        $id: {
          type: "string",
          format: "uri-reference"
        },
        $schema: {
          type: "string",
          format: "uri"
        },
        $ref: {
          type: "string",
          format: "uri-reference"
        },
        $comment: {
          type: "string"
        },
        title: {
          type: "string"
        },
        description: {
          type: "string"
        },
        default: true,
        readOnly: {
          type: "boolean",
          default: false
        },
        examples: {
          type: "array",
          items: true
        },
        multipleOf: {
          type: "number",
          exclusiveMinimum: 0
        },
        maximum: {
          type: "number"
        },
        exclusiveMaximum: {
          type: "number"
        },
        minimum: {
          type: "number"
        },
        exclusiveMinimum: {
          type: "number"
        },
        maxLength: { $ref: "#/definitions/nonNegativeInteger" },
        minLength: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        pattern: {
          type: "string",
          format: "regex"
        },
        additionalItems: { $ref: "#" },
        items: {
          anyOf: [{ $ref: "#" }, { $ref: "#/definitions/schemaArray" }],
          default: true
        },
        maxItems: { $ref: "#/definitions/nonNegativeInteger" },
        minItems: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        uniqueItems: {
          type: "boolean",
          default: false
        },
        contains: { $ref: "#" },
        maxProperties: { $ref: "#/definitions/nonNegativeInteger" },
        minProperties: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        required: { $ref: "#/definitions/stringArray" },
        additionalProperties: { $ref: "#" },
        definitions: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        properties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        patternProperties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          propertyNames: { format: "regex" },
          default: {}
        },
        dependencies: {
          type: "object",
          additionalProperties: {
            anyOf: [{ $ref: "#" }, { $ref: "#/definitions/stringArray" }]
          }
        },
        propertyNames: { $ref: "#" },
        const: true,
        enum: {
          type: "array",
          items: true,
          minItems: 1,
          uniqueItems: true
        },
        type: {
          anyOf: [
            { $ref: "#/definitions/simpleTypes" },
            {
              type: "array",
              items: { $ref: "#/definitions/simpleTypes" },
              minItems: 1,
              uniqueItems: true
            }
          ]
        },
        format: { type: "string" },
        contentMediaType: { type: "string" },
        contentEncoding: { type: "string" },
        if: { $ref: "#" },
        then: { $ref: "#" },
        else: { $ref: "#" },
        allOf: { $ref: "#/definitions/schemaArray" },
        anyOf: { $ref: "#/definitions/schemaArray" },
        oneOf: { $ref: "#/definitions/schemaArray" },
        not: { $ref: "#" }
      },
      default: true
    };
  }
});

// node_modules/ajv/dist/ajv.js
var require_ajv = __commonJS({
  "node_modules/ajv/dist/ajv.js"(exports, module) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MissingRefError = exports.ValidationError = exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = exports.Ajv = void 0;
    var core_1 = require_core();
    var draft7_1 = require_draft7();
    var discriminator_1 = require_discriminator();
    var draft7MetaSchema = require_json_schema_draft_07();
    var META_SUPPORT_DATA = ["/properties"];
    var META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";
    var Ajv2 = class extends core_1.default {
      _addVocabularies() {
        super._addVocabularies();
        draft7_1.default.forEach((v) => this.addVocabulary(v));
        if (this.opts.discriminator)
          this.addKeyword(discriminator_1.default);
      }
      _addDefaultMetaSchema() {
        super._addDefaultMetaSchema();
        if (!this.opts.meta)
          return;
        const metaSchema = this.opts.$data ? this.$dataMetaSchema(draft7MetaSchema, META_SUPPORT_DATA) : draft7MetaSchema;
        this.addMetaSchema(metaSchema, META_SCHEMA_ID, false);
        this.refs["http://json-schema.org/schema"] = META_SCHEMA_ID;
      }
      defaultMeta() {
        return this.opts.defaultMeta = super.defaultMeta() || (this.getSchema(META_SCHEMA_ID) ? META_SCHEMA_ID : void 0);
      }
    };
    exports.Ajv = Ajv2;
    module.exports = exports = Ajv2;
    module.exports.Ajv = Ajv2;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = Ajv2;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    Object.defineProperty(exports, "ValidationError", { enumerable: true, get: function() {
      return validation_error_1.default;
    } });
    var ref_error_1 = require_ref_error();
    Object.defineProperty(exports, "MissingRefError", { enumerable: true, get: function() {
      return ref_error_1.default;
    } });
  }
});

// src/platform/cli.ts
import { existsSync as existsSync3 } from "node:fs";
import { resolve as resolve7 } from "node:path";
import { parseArgs } from "node:util";

// src/engine.ts
import { lstatSync as lstatSync3, realpathSync as realpathSync3 } from "node:fs";
import { join as join5, relative as relative4, resolve as resolve5 } from "node:path";

// src/config/safe-read.ts
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

// src/types.ts
var FILE_KINDS = ["kubernetes", "dockerfile", "compose", "aci"];
var LEVEL_RANK = { error: 3, warning: 2, note: 1 };
var ConfigurationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigurationError";
  }
};

// src/config/safe-read.ts
var MAX_CONFIG_BYTES = 1 << 20;
var MAX_BASELINE_BYTES = 64 << 20;
function isInside(root, abs) {
  const r2 = relative(root, abs);
  return r2 === "" || !r2.startsWith("..") && !isAbsolute(r2);
}
function realQuiet(p) {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}
var ContainedReadError = class extends ConfigurationError {
  constructor(message, missing) {
    super(message);
    this.missing = missing;
  }
  missing;
};
function readContainedFile(root, path, opts) {
  const { label, maxBytes, what } = opts;
  const abs = isAbsolute(path) ? path : resolve(root, path);
  const realRoot = realQuiet(root);
  let target = abs;
  if (isInside(resolve(root), abs) || isInside(realRoot, abs)) {
    let real2;
    try {
      real2 = realpathSync.native(abs);
    } catch (err) {
      const code2 = err.code;
      throw new ContainedReadError(
        `${label}: the ${what} ${code2 === "ENOENT" ? "does not exist" : `cannot be read (${code2 ?? "error"})`}`,
        code2 === "ENOENT"
      );
    }
    if (!isInside(realRoot, real2)) {
      throw new ContainedReadError(
        `${label}: the ${what} is a symbolic link to a file outside the repository, which podguard never follows`,
        false
      );
    }
    target = real2;
  } else if (opts.mustBeInside) {
    throw new ContainedReadError(`${label}: the ${what} must be a file inside the repository`, false);
  }
  let fd;
  try {
    try {
      fd = openSync(target, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      const code2 = err.code;
      if (code2 === "ELOOP") throw new ContainedReadError(`${label}: the ${what} is a symbolic link, which podguard never follows`, false);
      throw new ContainedReadError(
        `${label}: the ${what} ${code2 === "ENOENT" ? "does not exist" : `cannot be read (${code2 ?? "error"})`}`,
        code2 === "ENOENT"
      );
    }
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ContainedReadError(`${label}: the ${what} is not a regular file`, false);
    if (st.size > maxBytes) throw new ContainedReadError(`${label}: the ${what} is ${st.size} bytes, over the limit of ${maxBytes}`, false);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (; ; ) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n >= buf.length) throw new ContainedReadError(`${label}: the ${what} is over the limit of ${maxBytes} bytes`, false);
    }
    return buf.subarray(0, n).toString("utf8");
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}

// src/baseline/baseline.ts
import { dirname } from "node:path";
var BASELINE_VERSION = 1;
var NEVER_BASELINED = /* @__PURE__ */ new Set(["internal-error"]);
function baselineEntries(findings) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const f of findings) {
    if (f.suppression || NEVER_BASELINED.has(f.ruleId) || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    out.push({ ruleId: f.ruleId, file: f.file, identity: f.identity, fingerprint: f.fingerprint });
  }
  const cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  return out.sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.identity, b.identity) || cmp(a.fingerprint, b.fingerprint)
  );
}
function baselineText(findings, redact = (t) => t) {
  const entries = baselineEntries(findings).map((e) => ({
    ruleId: e.ruleId,
    file: e.file,
    identity: redact(e.identity),
    fingerprint: e.fingerprint
  }));
  return `${JSON.stringify({ tool: "podguard", version: BASELINE_VERSION, findings: entries }, null, 2)}
`;
}
function parseBaseline(text, label) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${label}: the baseline is not valid JSON; rewrite it with --write-baseline`);
  }
  const shape = `expected {"tool": "podguard", "version": ${BASELINE_VERSION}, "findings": [...]}`;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigurationError(`${label}: is not a podguard baseline (${shape})`);
  }
  const obj = data;
  if (typeof obj.version === "number" && obj.version > BASELINE_VERSION) {
    throw new ConfigurationError(
      `${label}: baseline version ${obj.version} was written by a newer podguard (this one reads version ${BASELINE_VERSION})`
    );
  }
  if (obj.version !== BASELINE_VERSION) throw new ConfigurationError(`${label}: "version" must be ${BASELINE_VERSION} (${shape})`);
  if (!Array.isArray(obj.findings)) throw new ConfigurationError(`${label}: "findings" must be a list (${shape})`);
  const out = /* @__PURE__ */ new Set();
  obj.findings.forEach((e, i2) => {
    const fp = e?.fingerprint;
    if (typeof fp !== "string" || !/^[0-9a-f]{32}$/.test(fp)) {
      throw new ConfigurationError(`${label}: "findings.${i2}.fingerprint" must be a 32-character hex fingerprint`);
    }
    out.add(fp);
  });
  return out;
}
function readBaseline(path, label, root, mustBeInside = false) {
  let text;
  try {
    text = readContainedFile(root ?? dirname(path), path, { label, maxBytes: MAX_BASELINE_BYTES, what: "baseline", mustBeInside });
  } catch (err) {
    if (err instanceof ContainedReadError && err.missing)
      throw new ConfigurationError(`${label}: baseline file not found (create it with: podguard scan --write-baseline ${label})`);
    throw err;
  }
  return parseBaseline(text, label);
}

// src/batch.ts
import { hash as cryptoHash, scryptSync } from "node:crypto";
import { closeSync as closeSync2, constants as constants2, fstatSync as fstatSync2, openSync as openSync2, readFileSync } from "node:fs";
import { types as types2 } from "node:util";

// src/parse/index.ts
import { existsSync } from "node:fs";
import { posix } from "node:path";

// node_modules/js-yaml/dist/js-yaml.mjs
function isNothing(subject) {
  return typeof subject === "undefined" || subject === null;
}
function isObject(subject) {
  return typeof subject === "object" && subject !== null;
}
function toArray(sequence) {
  if (Array.isArray(sequence)) return sequence;
  else if (isNothing(sequence)) return [];
  return [sequence];
}
function extend(target, source) {
  var index, length, key, sourceKeys;
  if (source) {
    sourceKeys = Object.keys(source);
    for (index = 0, length = sourceKeys.length; index < length; index += 1) {
      key = sourceKeys[index];
      target[key] = source[key];
    }
  }
  return target;
}
function repeat(string, count) {
  var result = "", cycle;
  for (cycle = 0; cycle < count; cycle += 1) {
    result += string;
  }
  return result;
}
function isNegativeZero(number) {
  return number === 0 && Number.NEGATIVE_INFINITY === 1 / number;
}
var isNothing_1 = isNothing;
var isObject_1 = isObject;
var toArray_1 = toArray;
var repeat_1 = repeat;
var isNegativeZero_1 = isNegativeZero;
var extend_1 = extend;
var common = {
  isNothing: isNothing_1,
  isObject: isObject_1,
  toArray: toArray_1,
  repeat: repeat_1,
  isNegativeZero: isNegativeZero_1,
  extend: extend_1
};
function formatError(exception2, compact) {
  var where = "", message = exception2.reason || "(unknown reason)";
  if (!exception2.mark) return message;
  if (exception2.mark.name) {
    where += 'in "' + exception2.mark.name + '" ';
  }
  where += "(" + (exception2.mark.line + 1) + ":" + (exception2.mark.column + 1) + ")";
  if (!compact && exception2.mark.snippet) {
    where += "\n\n" + exception2.mark.snippet;
  }
  return message + " " + where;
}
function YAMLException$1(reason, mark) {
  Error.call(this);
  this.name = "YAMLException";
  this.reason = reason;
  this.mark = mark;
  this.message = formatError(this, false);
  if (Error.captureStackTrace) {
    Error.captureStackTrace(this, this.constructor);
  } else {
    this.stack = new Error().stack || "";
  }
}
YAMLException$1.prototype = Object.create(Error.prototype);
YAMLException$1.prototype.constructor = YAMLException$1;
YAMLException$1.prototype.toString = function toString(compact) {
  return this.name + ": " + formatError(this, compact);
};
var exception = YAMLException$1;
function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
  var head2 = "";
  var tail = "";
  var maxHalfLength = Math.floor(maxLineLength / 2) - 1;
  if (position - lineStart > maxHalfLength) {
    head2 = " ... ";
    lineStart = position - maxHalfLength + head2.length;
  }
  if (lineEnd - position > maxHalfLength) {
    tail = " ...";
    lineEnd = position + maxHalfLength - tail.length;
  }
  return {
    str: head2 + buffer.slice(lineStart, lineEnd).replace(/\t/g, "\u2192") + tail,
    pos: position - lineStart + head2.length
    // relative position
  };
}
function padStart(string, max) {
  return common.repeat(" ", max - string.length) + string;
}
function makeSnippet(mark, options) {
  options = Object.create(options || null);
  if (!mark.buffer) return null;
  if (!options.maxLength) options.maxLength = 79;
  if (typeof options.indent !== "number") options.indent = 1;
  if (typeof options.linesBefore !== "number") options.linesBefore = 3;
  if (typeof options.linesAfter !== "number") options.linesAfter = 2;
  var re = /\r?\n|\r|\0/g;
  var lineStarts = [0];
  var lineEnds = [];
  var match;
  var foundLineNo = -1;
  while (match = re.exec(mark.buffer)) {
    lineEnds.push(match.index);
    lineStarts.push(match.index + match[0].length);
    if (mark.position <= match.index && foundLineNo < 0) {
      foundLineNo = lineStarts.length - 2;
    }
  }
  if (foundLineNo < 0) foundLineNo = lineStarts.length - 1;
  var result = "", i2, line;
  var lineNoLength = Math.min(mark.line + options.linesAfter, lineEnds.length).toString().length;
  var maxLineLength = options.maxLength - (options.indent + lineNoLength + 3);
  for (i2 = 1; i2 <= options.linesBefore; i2++) {
    if (foundLineNo - i2 < 0) break;
    line = getLine(
      mark.buffer,
      lineStarts[foundLineNo - i2],
      lineEnds[foundLineNo - i2],
      mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo - i2]),
      maxLineLength
    );
    result = common.repeat(" ", options.indent) + padStart((mark.line - i2 + 1).toString(), lineNoLength) + " | " + line.str + "\n" + result;
  }
  line = getLine(mark.buffer, lineStarts[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
  result += common.repeat(" ", options.indent) + padStart((mark.line + 1).toString(), lineNoLength) + " | " + line.str + "\n";
  result += common.repeat("-", options.indent + lineNoLength + 3 + line.pos) + "^\n";
  for (i2 = 1; i2 <= options.linesAfter; i2++) {
    if (foundLineNo + i2 >= lineEnds.length) break;
    line = getLine(
      mark.buffer,
      lineStarts[foundLineNo + i2],
      lineEnds[foundLineNo + i2],
      mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo + i2]),
      maxLineLength
    );
    result += common.repeat(" ", options.indent) + padStart((mark.line + i2 + 1).toString(), lineNoLength) + " | " + line.str + "\n";
  }
  return result.replace(/\n$/, "");
}
var snippet = makeSnippet;
var TYPE_CONSTRUCTOR_OPTIONS = [
  "kind",
  "multi",
  "resolve",
  "construct",
  "instanceOf",
  "predicate",
  "represent",
  "representName",
  "defaultStyle",
  "styleAliases"
];
var YAML_NODE_KINDS = [
  "scalar",
  "sequence",
  "mapping"
];
function compileStyleAliases(map2) {
  var result = {};
  if (map2 !== null) {
    Object.keys(map2).forEach(function(style) {
      map2[style].forEach(function(alias) {
        result[String(alias)] = style;
      });
    });
  }
  return result;
}
function Type$1(tag, options) {
  options = options || {};
  Object.keys(options).forEach(function(name) {
    if (TYPE_CONSTRUCTOR_OPTIONS.indexOf(name) === -1) {
      throw new exception('Unknown option "' + name + '" is met in definition of "' + tag + '" YAML type.');
    }
  });
  this.options = options;
  this.tag = tag;
  this.kind = options["kind"] || null;
  this.resolve = options["resolve"] || function() {
    return true;
  };
  this.construct = options["construct"] || function(data) {
    return data;
  };
  this.instanceOf = options["instanceOf"] || null;
  this.predicate = options["predicate"] || null;
  this.represent = options["represent"] || null;
  this.representName = options["representName"] || null;
  this.defaultStyle = options["defaultStyle"] || null;
  this.multi = options["multi"] || false;
  this.styleAliases = compileStyleAliases(options["styleAliases"] || null);
  if (YAML_NODE_KINDS.indexOf(this.kind) === -1) {
    throw new exception('Unknown kind "' + this.kind + '" is specified for "' + tag + '" YAML type.');
  }
}
var type = Type$1;
function compileList(schema2, name) {
  var result = [];
  schema2[name].forEach(function(currentType) {
    var newIndex = result.length;
    result.forEach(function(previousType, previousIndex) {
      if (previousType.tag === currentType.tag && previousType.kind === currentType.kind && previousType.multi === currentType.multi) {
        newIndex = previousIndex;
      }
    });
    result[newIndex] = currentType;
  });
  return result;
}
function compileMap() {
  var result = {
    scalar: {},
    sequence: {},
    mapping: {},
    fallback: {},
    multi: {
      scalar: [],
      sequence: [],
      mapping: [],
      fallback: []
    }
  }, index, length;
  function collectType(type2) {
    if (type2.multi) {
      result.multi[type2.kind].push(type2);
      result.multi["fallback"].push(type2);
    } else {
      result[type2.kind][type2.tag] = result["fallback"][type2.tag] = type2;
    }
  }
  for (index = 0, length = arguments.length; index < length; index += 1) {
    arguments[index].forEach(collectType);
  }
  return result;
}
function Schema$1(definition) {
  return this.extend(definition);
}
Schema$1.prototype.extend = function extend2(definition) {
  var implicit = [];
  var explicit = [];
  if (definition instanceof type) {
    explicit.push(definition);
  } else if (Array.isArray(definition)) {
    explicit = explicit.concat(definition);
  } else if (definition && (Array.isArray(definition.implicit) || Array.isArray(definition.explicit))) {
    if (definition.implicit) implicit = implicit.concat(definition.implicit);
    if (definition.explicit) explicit = explicit.concat(definition.explicit);
  } else {
    throw new exception("Schema.extend argument should be a Type, [ Type ], or a schema definition ({ implicit: [...], explicit: [...] })");
  }
  implicit.forEach(function(type$1) {
    if (!(type$1 instanceof type)) {
      throw new exception("Specified list of YAML types (or a single Type object) contains a non-Type object.");
    }
    if (type$1.loadKind && type$1.loadKind !== "scalar") {
      throw new exception("There is a non-scalar type in the implicit list of a schema. Implicit resolving of such types is not supported.");
    }
    if (type$1.multi) {
      throw new exception("There is a multi type in the implicit list of a schema. Multi tags can only be listed as explicit.");
    }
  });
  explicit.forEach(function(type$1) {
    if (!(type$1 instanceof type)) {
      throw new exception("Specified list of YAML types (or a single Type object) contains a non-Type object.");
    }
  });
  var result = Object.create(Schema$1.prototype);
  result.implicit = (this.implicit || []).concat(implicit);
  result.explicit = (this.explicit || []).concat(explicit);
  result.compiledImplicit = compileList(result, "implicit");
  result.compiledExplicit = compileList(result, "explicit");
  result.compiledTypeMap = compileMap(result.compiledImplicit, result.compiledExplicit);
  return result;
};
var schema = Schema$1;
var str = new type("tag:yaml.org,2002:str", {
  kind: "scalar",
  construct: function(data) {
    return data !== null ? data : "";
  }
});
var seq = new type("tag:yaml.org,2002:seq", {
  kind: "sequence",
  construct: function(data) {
    return data !== null ? data : [];
  }
});
var map = new type("tag:yaml.org,2002:map", {
  kind: "mapping",
  construct: function(data) {
    return data !== null ? data : {};
  }
});
var failsafe = new schema({
  explicit: [
    str,
    seq,
    map
  ]
});
function resolveYamlNull(data) {
  if (data === null) return true;
  var max = data.length;
  return max === 1 && data === "~" || max === 4 && (data === "null" || data === "Null" || data === "NULL");
}
function constructYamlNull() {
  return null;
}
function isNull(object) {
  return object === null;
}
var _null = new type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: resolveYamlNull,
  construct: constructYamlNull,
  predicate: isNull,
  represent: {
    canonical: function() {
      return "~";
    },
    lowercase: function() {
      return "null";
    },
    uppercase: function() {
      return "NULL";
    },
    camelcase: function() {
      return "Null";
    },
    empty: function() {
      return "";
    }
  },
  defaultStyle: "lowercase"
});
function resolveYamlBoolean(data) {
  if (data === null) return false;
  var max = data.length;
  return max === 4 && (data === "true" || data === "True" || data === "TRUE") || max === 5 && (data === "false" || data === "False" || data === "FALSE");
}
function constructYamlBoolean(data) {
  return data === "true" || data === "True" || data === "TRUE";
}
function isBoolean(object) {
  return Object.prototype.toString.call(object) === "[object Boolean]";
}
var bool = new type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: resolveYamlBoolean,
  construct: constructYamlBoolean,
  predicate: isBoolean,
  represent: {
    lowercase: function(object) {
      return object ? "true" : "false";
    },
    uppercase: function(object) {
      return object ? "TRUE" : "FALSE";
    },
    camelcase: function(object) {
      return object ? "True" : "False";
    }
  },
  defaultStyle: "lowercase"
});
function isHexCode(c) {
  return 48 <= c && c <= 57 || 65 <= c && c <= 70 || 97 <= c && c <= 102;
}
function isOctCode(c) {
  return 48 <= c && c <= 55;
}
function isDecCode(c) {
  return 48 <= c && c <= 57;
}
function resolveYamlInteger(data) {
  if (data === null) return false;
  var max = data.length, index = 0, hasDigits = false, ch;
  if (!max) return false;
  ch = data[index];
  if (ch === "-" || ch === "+") {
    ch = data[++index];
  }
  if (ch === "0") {
    if (index + 1 === max) return true;
    ch = data[++index];
    if (ch === "b") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (ch !== "0" && ch !== "1") return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
    if (ch === "x") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (!isHexCode(data.charCodeAt(index))) return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
    if (ch === "o") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (!isOctCode(data.charCodeAt(index))) return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
  }
  if (ch === "_") return false;
  for (; index < max; index++) {
    ch = data[index];
    if (ch === "_") continue;
    if (!isDecCode(data.charCodeAt(index))) {
      return false;
    }
    hasDigits = true;
  }
  if (!hasDigits || ch === "_") return false;
  return true;
}
function constructYamlInteger(data) {
  var value = data, sign = 1, ch;
  if (value.indexOf("_") !== -1) {
    value = value.replace(/_/g, "");
  }
  ch = value[0];
  if (ch === "-" || ch === "+") {
    if (ch === "-") sign = -1;
    value = value.slice(1);
    ch = value[0];
  }
  if (value === "0") return 0;
  if (ch === "0") {
    if (value[1] === "b") return sign * parseInt(value.slice(2), 2);
    if (value[1] === "x") return sign * parseInt(value.slice(2), 16);
    if (value[1] === "o") return sign * parseInt(value.slice(2), 8);
  }
  return sign * parseInt(value, 10);
}
function isInteger(object) {
  return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 === 0 && !common.isNegativeZero(object));
}
var int = new type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: resolveYamlInteger,
  construct: constructYamlInteger,
  predicate: isInteger,
  represent: {
    binary: function(obj) {
      return obj >= 0 ? "0b" + obj.toString(2) : "-0b" + obj.toString(2).slice(1);
    },
    octal: function(obj) {
      return obj >= 0 ? "0o" + obj.toString(8) : "-0o" + obj.toString(8).slice(1);
    },
    decimal: function(obj) {
      return obj.toString(10);
    },
    /* eslint-disable max-len */
    hexadecimal: function(obj) {
      return obj >= 0 ? "0x" + obj.toString(16).toUpperCase() : "-0x" + obj.toString(16).toUpperCase().slice(1);
    }
  },
  defaultStyle: "decimal",
  styleAliases: {
    binary: [2, "bin"],
    octal: [8, "oct"],
    decimal: [10, "dec"],
    hexadecimal: [16, "hex"]
  }
});
var YAML_FLOAT_PATTERN = new RegExp(
  // 2.5e4, 2.5 and integers
  "^(?:[-+]?(?:[0-9][0-9_]*)(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
);
function resolveYamlFloat(data) {
  if (data === null) return false;
  if (!YAML_FLOAT_PATTERN.test(data) || // Quick hack to not allow integers end with `_`
  // Probably should update regexp & check speed
  data[data.length - 1] === "_") {
    return false;
  }
  return true;
}
function constructYamlFloat(data) {
  var value, sign;
  value = data.replace(/_/g, "").toLowerCase();
  sign = value[0] === "-" ? -1 : 1;
  if ("+-".indexOf(value[0]) >= 0) {
    value = value.slice(1);
  }
  if (value === ".inf") {
    return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  } else if (value === ".nan") {
    return NaN;
  }
  return sign * parseFloat(value, 10);
}
var SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;
function representYamlFloat(object, style) {
  var res;
  if (isNaN(object)) {
    switch (style) {
      case "lowercase":
        return ".nan";
      case "uppercase":
        return ".NAN";
      case "camelcase":
        return ".NaN";
    }
  } else if (Number.POSITIVE_INFINITY === object) {
    switch (style) {
      case "lowercase":
        return ".inf";
      case "uppercase":
        return ".INF";
      case "camelcase":
        return ".Inf";
    }
  } else if (Number.NEGATIVE_INFINITY === object) {
    switch (style) {
      case "lowercase":
        return "-.inf";
      case "uppercase":
        return "-.INF";
      case "camelcase":
        return "-.Inf";
    }
  } else if (common.isNegativeZero(object)) {
    return "-0.0";
  }
  res = object.toString(10);
  return SCIENTIFIC_WITHOUT_DOT.test(res) ? res.replace("e", ".e") : res;
}
function isFloat(object) {
  return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 !== 0 || common.isNegativeZero(object));
}
var float = new type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: resolveYamlFloat,
  construct: constructYamlFloat,
  predicate: isFloat,
  represent: representYamlFloat,
  defaultStyle: "lowercase"
});
var json = failsafe.extend({
  implicit: [
    _null,
    bool,
    int,
    float
  ]
});
var core = json;
var YAML_DATE_REGEXP = new RegExp(
  "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$"
);
var YAML_TIMESTAMP_REGEXP = new RegExp(
  "^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$"
);
function resolveYamlTimestamp(data) {
  if (data === null) return false;
  if (YAML_DATE_REGEXP.exec(data) !== null) return true;
  if (YAML_TIMESTAMP_REGEXP.exec(data) !== null) return true;
  return false;
}
function constructYamlTimestamp(data) {
  var match, year, month, day, hour, minute, second, fraction = 0, delta = null, tz_hour, tz_minute, date;
  match = YAML_DATE_REGEXP.exec(data);
  if (match === null) match = YAML_TIMESTAMP_REGEXP.exec(data);
  if (match === null) throw new Error("Date resolve error");
  year = +match[1];
  month = +match[2] - 1;
  day = +match[3];
  if (!match[4]) {
    return new Date(Date.UTC(year, month, day));
  }
  hour = +match[4];
  minute = +match[5];
  second = +match[6];
  if (match[7]) {
    fraction = match[7].slice(0, 3);
    while (fraction.length < 3) {
      fraction += "0";
    }
    fraction = +fraction;
  }
  if (match[9]) {
    tz_hour = +match[10];
    tz_minute = +(match[11] || 0);
    delta = (tz_hour * 60 + tz_minute) * 6e4;
    if (match[9] === "-") delta = -delta;
  }
  date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
  if (delta) date.setTime(date.getTime() - delta);
  return date;
}
function representYamlTimestamp(object) {
  return object.toISOString();
}
var timestamp = new type("tag:yaml.org,2002:timestamp", {
  kind: "scalar",
  resolve: resolveYamlTimestamp,
  construct: constructYamlTimestamp,
  instanceOf: Date,
  represent: representYamlTimestamp
});
function resolveYamlMerge(data) {
  return data === "<<" || data === null;
}
var merge = new type("tag:yaml.org,2002:merge", {
  kind: "scalar",
  resolve: resolveYamlMerge
});
var BASE64_MAP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r";
function resolveYamlBinary(data) {
  if (data === null) return false;
  var code2, idx, bitlen = 0, max = data.length, map2 = BASE64_MAP;
  for (idx = 0; idx < max; idx++) {
    code2 = map2.indexOf(data.charAt(idx));
    if (code2 > 64) continue;
    if (code2 < 0) return false;
    bitlen += 6;
  }
  return bitlen % 8 === 0;
}
function constructYamlBinary(data) {
  var idx, tailbits, input = data.replace(/[\r\n=]/g, ""), max = input.length, map2 = BASE64_MAP, bits = 0, result = [];
  for (idx = 0; idx < max; idx++) {
    if (idx % 4 === 0 && idx) {
      result.push(bits >> 16 & 255);
      result.push(bits >> 8 & 255);
      result.push(bits & 255);
    }
    bits = bits << 6 | map2.indexOf(input.charAt(idx));
  }
  tailbits = max % 4 * 6;
  if (tailbits === 0) {
    result.push(bits >> 16 & 255);
    result.push(bits >> 8 & 255);
    result.push(bits & 255);
  } else if (tailbits === 18) {
    result.push(bits >> 10 & 255);
    result.push(bits >> 2 & 255);
  } else if (tailbits === 12) {
    result.push(bits >> 4 & 255);
  }
  return new Uint8Array(result);
}
function representYamlBinary(object) {
  var result = "", bits = 0, idx, tail, max = object.length, map2 = BASE64_MAP;
  for (idx = 0; idx < max; idx++) {
    if (idx % 3 === 0 && idx) {
      result += map2[bits >> 18 & 63];
      result += map2[bits >> 12 & 63];
      result += map2[bits >> 6 & 63];
      result += map2[bits & 63];
    }
    bits = (bits << 8) + object[idx];
  }
  tail = max % 3;
  if (tail === 0) {
    result += map2[bits >> 18 & 63];
    result += map2[bits >> 12 & 63];
    result += map2[bits >> 6 & 63];
    result += map2[bits & 63];
  } else if (tail === 2) {
    result += map2[bits >> 10 & 63];
    result += map2[bits >> 4 & 63];
    result += map2[bits << 2 & 63];
    result += map2[64];
  } else if (tail === 1) {
    result += map2[bits >> 2 & 63];
    result += map2[bits << 4 & 63];
    result += map2[64];
    result += map2[64];
  }
  return result;
}
function isBinary(obj) {
  return Object.prototype.toString.call(obj) === "[object Uint8Array]";
}
var binary = new type("tag:yaml.org,2002:binary", {
  kind: "scalar",
  resolve: resolveYamlBinary,
  construct: constructYamlBinary,
  predicate: isBinary,
  represent: representYamlBinary
});
var _hasOwnProperty$3 = Object.prototype.hasOwnProperty;
var _toString$2 = Object.prototype.toString;
function resolveYamlOmap(data) {
  if (data === null) return true;
  var objectKeys = [], index, length, pair, pairKey, pairHasKey, object = data;
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    pairHasKey = false;
    if (_toString$2.call(pair) !== "[object Object]") return false;
    for (pairKey in pair) {
      if (_hasOwnProperty$3.call(pair, pairKey)) {
        if (!pairHasKey) pairHasKey = true;
        else return false;
      }
    }
    if (!pairHasKey) return false;
    if (objectKeys.indexOf(pairKey) === -1) objectKeys.push(pairKey);
    else return false;
  }
  return true;
}
function constructYamlOmap(data) {
  return data !== null ? data : [];
}
var omap = new type("tag:yaml.org,2002:omap", {
  kind: "sequence",
  resolve: resolveYamlOmap,
  construct: constructYamlOmap
});
var _toString$1 = Object.prototype.toString;
function resolveYamlPairs(data) {
  if (data === null) return true;
  var index, length, pair, keys, result, object = data;
  result = new Array(object.length);
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    if (_toString$1.call(pair) !== "[object Object]") return false;
    keys = Object.keys(pair);
    if (keys.length !== 1) return false;
    result[index] = [keys[0], pair[keys[0]]];
  }
  return true;
}
function constructYamlPairs(data) {
  if (data === null) return [];
  var index, length, pair, keys, result, object = data;
  result = new Array(object.length);
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    keys = Object.keys(pair);
    result[index] = [keys[0], pair[keys[0]]];
  }
  return result;
}
var pairs = new type("tag:yaml.org,2002:pairs", {
  kind: "sequence",
  resolve: resolveYamlPairs,
  construct: constructYamlPairs
});
var _hasOwnProperty$2 = Object.prototype.hasOwnProperty;
function resolveYamlSet(data) {
  if (data === null) return true;
  var key, object = data;
  for (key in object) {
    if (_hasOwnProperty$2.call(object, key)) {
      if (object[key] !== null) return false;
    }
  }
  return true;
}
function constructYamlSet(data) {
  return data !== null ? data : {};
}
var set = new type("tag:yaml.org,2002:set", {
  kind: "mapping",
  resolve: resolveYamlSet,
  construct: constructYamlSet
});
var _default = core.extend({
  implicit: [
    timestamp,
    merge
  ],
  explicit: [
    binary,
    omap,
    pairs,
    set
  ]
});
var _hasOwnProperty$1 = Object.prototype.hasOwnProperty;
var CONTEXT_FLOW_IN = 1;
var CONTEXT_FLOW_OUT = 2;
var CONTEXT_BLOCK_IN = 3;
var CONTEXT_BLOCK_OUT = 4;
var CHOMPING_CLIP = 1;
var CHOMPING_STRIP = 2;
var CHOMPING_KEEP = 3;
var PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
var PATTERN_NON_ASCII_LINE_BREAKS = /[\x85\u2028\u2029]/;
var PATTERN_FLOW_INDICATORS = /[,\[\]\{\}]/;
var PATTERN_TAG_HANDLE = /^(?:!|!!|![a-z\-]+!)$/i;
var PATTERN_TAG_URI = /^(?:!|[^,\[\]\{\}])(?:%[0-9a-f]{2}|[0-9a-z\-#;\/\?:@&=\+\$,_\.!~\*'\(\)\[\]])*$/i;
function _class(obj) {
  return Object.prototype.toString.call(obj);
}
function is_EOL(c) {
  return c === 10 || c === 13;
}
function is_WHITE_SPACE(c) {
  return c === 9 || c === 32;
}
function is_WS_OR_EOL(c) {
  return c === 9 || c === 32 || c === 10 || c === 13;
}
function is_FLOW_INDICATOR(c) {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
function fromHexCode(c) {
  var lc;
  if (48 <= c && c <= 57) {
    return c - 48;
  }
  lc = c | 32;
  if (97 <= lc && lc <= 102) {
    return lc - 97 + 10;
  }
  return -1;
}
function escapedHexLen(c) {
  if (c === 120) {
    return 2;
  }
  if (c === 117) {
    return 4;
  }
  if (c === 85) {
    return 8;
  }
  return 0;
}
function fromDecimalCode(c) {
  if (48 <= c && c <= 57) {
    return c - 48;
  }
  return -1;
}
function simpleEscapeSequence(c) {
  return c === 48 ? "\0" : c === 97 ? "\x07" : c === 98 ? "\b" : c === 116 ? "	" : c === 9 ? "	" : c === 110 ? "\n" : c === 118 ? "\v" : c === 102 ? "\f" : c === 114 ? "\r" : c === 101 ? "\x1B" : c === 32 ? " " : c === 34 ? '"' : c === 47 ? "/" : c === 92 ? "\\" : c === 78 ? "\x85" : c === 95 ? "\xA0" : c === 76 ? "\u2028" : c === 80 ? "\u2029" : "";
}
function charFromCodepoint(c) {
  if (c <= 65535) {
    return String.fromCharCode(c);
  }
  return String.fromCharCode(
    (c - 65536 >> 10) + 55296,
    (c - 65536 & 1023) + 56320
  );
}
var simpleEscapeCheck = new Array(256);
var simpleEscapeMap = new Array(256);
for (i = 0; i < 256; i++) {
  simpleEscapeCheck[i] = simpleEscapeSequence(i) ? 1 : 0;
  simpleEscapeMap[i] = simpleEscapeSequence(i);
}
var i;
function State$1(input, options) {
  this.input = input;
  this.filename = options["filename"] || null;
  this.schema = options["schema"] || _default;
  this.onWarning = options["onWarning"] || null;
  this.legacy = options["legacy"] || false;
  this.json = options["json"] || false;
  this.listener = options["listener"] || null;
  this.implicitTypes = this.schema.compiledImplicit;
  this.typeMap = this.schema.compiledTypeMap;
  this.length = input.length;
  this.position = 0;
  this.line = 0;
  this.lineStart = 0;
  this.lineIndent = 0;
  this.firstTabInLine = -1;
  this.documents = [];
}
function generateError(state, message) {
  var mark = {
    name: state.filename,
    buffer: state.input.slice(0, -1),
    // omit trailing \0
    position: state.position,
    line: state.line,
    column: state.position - state.lineStart
  };
  mark.snippet = snippet(mark);
  return new exception(message, mark);
}
function throwError(state, message) {
  throw generateError(state, message);
}
function throwWarning(state, message) {
  if (state.onWarning) {
    state.onWarning.call(null, generateError(state, message));
  }
}
var directiveHandlers = {
  YAML: function handleYamlDirective(state, name, args) {
    var match, major, minor;
    if (state.version !== null) {
      throwError(state, "duplication of %YAML directive");
    }
    if (args.length !== 1) {
      throwError(state, "YAML directive accepts exactly one argument");
    }
    match = /^([0-9]+)\.([0-9]+)$/.exec(args[0]);
    if (match === null) {
      throwError(state, "ill-formed argument of the YAML directive");
    }
    major = parseInt(match[1], 10);
    minor = parseInt(match[2], 10);
    if (major !== 1) {
      throwError(state, "unacceptable YAML version of the document");
    }
    state.version = args[0];
    state.checkLineBreaks = minor < 2;
    if (minor !== 1 && minor !== 2) {
      throwWarning(state, "unsupported YAML version of the document");
    }
  },
  TAG: function handleTagDirective(state, name, args) {
    var handle, prefix;
    if (args.length !== 2) {
      throwError(state, "TAG directive accepts exactly two arguments");
    }
    handle = args[0];
    prefix = args[1];
    if (!PATTERN_TAG_HANDLE.test(handle)) {
      throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
    }
    if (_hasOwnProperty$1.call(state.tagMap, handle)) {
      throwError(state, 'there is a previously declared suffix for "' + handle + '" tag handle');
    }
    if (!PATTERN_TAG_URI.test(prefix)) {
      throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
    }
    try {
      prefix = decodeURIComponent(prefix);
    } catch (err) {
      throwError(state, "tag prefix is malformed: " + prefix);
    }
    state.tagMap[handle] = prefix;
  }
};
function captureSegment(state, start, end, checkJson) {
  var _position, _length, _character, _result;
  if (start < end) {
    _result = state.input.slice(start, end);
    if (checkJson) {
      for (_position = 0, _length = _result.length; _position < _length; _position += 1) {
        _character = _result.charCodeAt(_position);
        if (!(_character === 9 || 32 <= _character && _character <= 1114111)) {
          throwError(state, "expected valid JSON character");
        }
      }
    } else if (PATTERN_NON_PRINTABLE.test(_result)) {
      throwError(state, "the stream contains non-printable characters");
    }
    state.result += _result;
  }
}
function mergeMappings(state, destination, source, overridableKeys) {
  var sourceKeys, key, index, quantity;
  if (!common.isObject(source)) {
    throwError(state, "cannot merge mappings; the provided source object is unacceptable");
  }
  sourceKeys = Object.keys(source);
  for (index = 0, quantity = sourceKeys.length; index < quantity; index += 1) {
    key = sourceKeys[index];
    if (!_hasOwnProperty$1.call(destination, key)) {
      destination[key] = source[key];
      overridableKeys[key] = true;
    }
  }
}
function storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, startLine, startLineStart, startPos) {
  var index, quantity;
  if (Array.isArray(keyNode)) {
    keyNode = Array.prototype.slice.call(keyNode);
    for (index = 0, quantity = keyNode.length; index < quantity; index += 1) {
      if (Array.isArray(keyNode[index])) {
        throwError(state, "nested arrays are not supported inside keys");
      }
      if (typeof keyNode === "object" && _class(keyNode[index]) === "[object Object]") {
        keyNode[index] = "[object Object]";
      }
    }
  }
  if (typeof keyNode === "object" && _class(keyNode) === "[object Object]") {
    keyNode = "[object Object]";
  }
  keyNode = String(keyNode);
  if (_result === null) {
    _result = {};
  }
  if (keyTag === "tag:yaml.org,2002:merge") {
    if (Array.isArray(valueNode)) {
      for (index = 0, quantity = valueNode.length; index < quantity; index += 1) {
        mergeMappings(state, _result, valueNode[index], overridableKeys);
      }
    } else {
      mergeMappings(state, _result, valueNode, overridableKeys);
    }
  } else {
    if (!state.json && !_hasOwnProperty$1.call(overridableKeys, keyNode) && _hasOwnProperty$1.call(_result, keyNode)) {
      state.line = startLine || state.line;
      state.lineStart = startLineStart || state.lineStart;
      state.position = startPos || state.position;
      throwError(state, "duplicated mapping key");
    }
    if (keyNode === "__proto__") {
      Object.defineProperty(_result, keyNode, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: valueNode
      });
    } else {
      _result[keyNode] = valueNode;
    }
    delete overridableKeys[keyNode];
  }
  return _result;
}
function readLineBreak(state) {
  var ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 10) {
    state.position++;
  } else if (ch === 13) {
    state.position++;
    if (state.input.charCodeAt(state.position) === 10) {
      state.position++;
    }
  } else {
    throwError(state, "a line break is expected");
  }
  state.line += 1;
  state.lineStart = state.position;
  state.firstTabInLine = -1;
}
function skipSeparationSpace(state, allowComments, checkIndent) {
  var lineBreaks = 0, ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    while (is_WHITE_SPACE(ch)) {
      if (ch === 9 && state.firstTabInLine === -1) {
        state.firstTabInLine = state.position;
      }
      ch = state.input.charCodeAt(++state.position);
    }
    if (allowComments && ch === 35) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (ch !== 10 && ch !== 13 && ch !== 0);
    }
    if (is_EOL(ch)) {
      readLineBreak(state);
      ch = state.input.charCodeAt(state.position);
      lineBreaks++;
      state.lineIndent = 0;
      while (ch === 32) {
        state.lineIndent++;
        ch = state.input.charCodeAt(++state.position);
      }
    } else {
      break;
    }
  }
  if (checkIndent !== -1 && lineBreaks !== 0 && state.lineIndent < checkIndent) {
    throwWarning(state, "deficient indentation");
  }
  return lineBreaks;
}
function testDocumentSeparator(state) {
  var _position = state.position, ch;
  ch = state.input.charCodeAt(_position);
  if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(_position + 1) && ch === state.input.charCodeAt(_position + 2)) {
    _position += 3;
    ch = state.input.charCodeAt(_position);
    if (ch === 0 || is_WS_OR_EOL(ch)) {
      return true;
    }
  }
  return false;
}
function writeFoldedLines(state, count) {
  if (count === 1) {
    state.result += " ";
  } else if (count > 1) {
    state.result += common.repeat("\n", count - 1);
  }
}
function readPlainScalar(state, nodeIndent, withinFlowCollection) {
  var preceding, following, captureStart, captureEnd, hasPendingContent, _line, _lineStart, _lineIndent, _kind = state.kind, _result = state.result, ch;
  ch = state.input.charCodeAt(state.position);
  if (is_WS_OR_EOL(ch) || is_FLOW_INDICATOR(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96) {
    return false;
  }
  if (ch === 63 || ch === 45) {
    following = state.input.charCodeAt(state.position + 1);
    if (is_WS_OR_EOL(following) || withinFlowCollection && is_FLOW_INDICATOR(following)) {
      return false;
    }
  }
  state.kind = "scalar";
  state.result = "";
  captureStart = captureEnd = state.position;
  hasPendingContent = false;
  while (ch !== 0) {
    if (ch === 58) {
      following = state.input.charCodeAt(state.position + 1);
      if (is_WS_OR_EOL(following) || withinFlowCollection && is_FLOW_INDICATOR(following)) {
        break;
      }
    } else if (ch === 35) {
      preceding = state.input.charCodeAt(state.position - 1);
      if (is_WS_OR_EOL(preceding)) {
        break;
      }
    } else if (state.position === state.lineStart && testDocumentSeparator(state) || withinFlowCollection && is_FLOW_INDICATOR(ch)) {
      break;
    } else if (is_EOL(ch)) {
      _line = state.line;
      _lineStart = state.lineStart;
      _lineIndent = state.lineIndent;
      skipSeparationSpace(state, false, -1);
      if (state.lineIndent >= nodeIndent) {
        hasPendingContent = true;
        ch = state.input.charCodeAt(state.position);
        continue;
      } else {
        state.position = captureEnd;
        state.line = _line;
        state.lineStart = _lineStart;
        state.lineIndent = _lineIndent;
        break;
      }
    }
    if (hasPendingContent) {
      captureSegment(state, captureStart, captureEnd, false);
      writeFoldedLines(state, state.line - _line);
      captureStart = captureEnd = state.position;
      hasPendingContent = false;
    }
    if (!is_WHITE_SPACE(ch)) {
      captureEnd = state.position + 1;
    }
    ch = state.input.charCodeAt(++state.position);
  }
  captureSegment(state, captureStart, captureEnd, false);
  if (state.result) {
    return true;
  }
  state.kind = _kind;
  state.result = _result;
  return false;
}
function readSingleQuotedScalar(state, nodeIndent) {
  var ch, captureStart, captureEnd;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 39) {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  state.position++;
  captureStart = captureEnd = state.position;
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    if (ch === 39) {
      captureSegment(state, captureStart, state.position, true);
      ch = state.input.charCodeAt(++state.position);
      if (ch === 39) {
        captureStart = state.position;
        state.position++;
        captureEnd = state.position;
      } else {
        return true;
      }
    } else if (is_EOL(ch)) {
      captureSegment(state, captureStart, captureEnd, true);
      writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
      captureStart = captureEnd = state.position;
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
      throwError(state, "unexpected end of the document within a single quoted scalar");
    } else {
      state.position++;
      captureEnd = state.position;
    }
  }
  throwError(state, "unexpected end of the stream within a single quoted scalar");
}
function readDoubleQuotedScalar(state, nodeIndent) {
  var captureStart, captureEnd, hexLength, hexResult, tmp, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 34) {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  state.position++;
  captureStart = captureEnd = state.position;
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    if (ch === 34) {
      captureSegment(state, captureStart, state.position, true);
      state.position++;
      return true;
    } else if (ch === 92) {
      captureSegment(state, captureStart, state.position, true);
      ch = state.input.charCodeAt(++state.position);
      if (is_EOL(ch)) {
        skipSeparationSpace(state, false, nodeIndent);
      } else if (ch < 256 && simpleEscapeCheck[ch]) {
        state.result += simpleEscapeMap[ch];
        state.position++;
      } else if ((tmp = escapedHexLen(ch)) > 0) {
        hexLength = tmp;
        hexResult = 0;
        for (; hexLength > 0; hexLength--) {
          ch = state.input.charCodeAt(++state.position);
          if ((tmp = fromHexCode(ch)) >= 0) {
            hexResult = (hexResult << 4) + tmp;
          } else {
            throwError(state, "expected hexadecimal character");
          }
        }
        state.result += charFromCodepoint(hexResult);
        state.position++;
      } else {
        throwError(state, "unknown escape sequence");
      }
      captureStart = captureEnd = state.position;
    } else if (is_EOL(ch)) {
      captureSegment(state, captureStart, captureEnd, true);
      writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
      captureStart = captureEnd = state.position;
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
      throwError(state, "unexpected end of the document within a double quoted scalar");
    } else {
      state.position++;
      captureEnd = state.position;
    }
  }
  throwError(state, "unexpected end of the stream within a double quoted scalar");
}
function readFlowCollection(state, nodeIndent) {
  var readNext = true, _line, _lineStart, _pos, _tag = state.tag, _result, _anchor = state.anchor, following, terminator, isPair, isExplicitPair, isMapping, overridableKeys = /* @__PURE__ */ Object.create(null), keyNode, keyTag, valueNode, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 91) {
    terminator = 93;
    isMapping = false;
    _result = [];
  } else if (ch === 123) {
    terminator = 125;
    isMapping = true;
    _result = {};
  } else {
    return false;
  }
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(++state.position);
  while (ch !== 0) {
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if (ch === terminator) {
      state.position++;
      state.tag = _tag;
      state.anchor = _anchor;
      state.kind = isMapping ? "mapping" : "sequence";
      state.result = _result;
      return true;
    } else if (!readNext) {
      throwError(state, "missed comma between flow collection entries");
    } else if (ch === 44) {
      throwError(state, "expected the node content, but found ','");
    }
    keyTag = keyNode = valueNode = null;
    isPair = isExplicitPair = false;
    if (ch === 63) {
      following = state.input.charCodeAt(state.position + 1);
      if (is_WS_OR_EOL(following)) {
        isPair = isExplicitPair = true;
        state.position++;
        skipSeparationSpace(state, true, nodeIndent);
      }
    }
    _line = state.line;
    _lineStart = state.lineStart;
    _pos = state.position;
    composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
    keyTag = state.tag;
    keyNode = state.result;
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if ((isExplicitPair || state.line === _line) && ch === 58) {
      isPair = true;
      ch = state.input.charCodeAt(++state.position);
      skipSeparationSpace(state, true, nodeIndent);
      composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
      valueNode = state.result;
    }
    if (isMapping) {
      storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos);
    } else if (isPair) {
      _result.push(storeMappingPair(state, null, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos));
    } else {
      _result.push(keyNode);
    }
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if (ch === 44) {
      readNext = true;
      ch = state.input.charCodeAt(++state.position);
    } else {
      readNext = false;
    }
  }
  throwError(state, "unexpected end of the stream within a flow collection");
}
function readBlockScalar(state, nodeIndent) {
  var captureStart, folding, chomping = CHOMPING_CLIP, didReadContent = false, detectedIndent = false, textIndent = nodeIndent, emptyLines = 0, atMoreIndented = false, tmp, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 124) {
    folding = false;
  } else if (ch === 62) {
    folding = true;
  } else {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  while (ch !== 0) {
    ch = state.input.charCodeAt(++state.position);
    if (ch === 43 || ch === 45) {
      if (CHOMPING_CLIP === chomping) {
        chomping = ch === 43 ? CHOMPING_KEEP : CHOMPING_STRIP;
      } else {
        throwError(state, "repeat of a chomping mode identifier");
      }
    } else if ((tmp = fromDecimalCode(ch)) >= 0) {
      if (tmp === 0) {
        throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
      } else if (!detectedIndent) {
        textIndent = nodeIndent + tmp - 1;
        detectedIndent = true;
      } else {
        throwError(state, "repeat of an indentation width identifier");
      }
    } else {
      break;
    }
  }
  if (is_WHITE_SPACE(ch)) {
    do {
      ch = state.input.charCodeAt(++state.position);
    } while (is_WHITE_SPACE(ch));
    if (ch === 35) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (!is_EOL(ch) && ch !== 0);
    }
  }
  while (ch !== 0) {
    readLineBreak(state);
    state.lineIndent = 0;
    ch = state.input.charCodeAt(state.position);
    while ((!detectedIndent || state.lineIndent < textIndent) && ch === 32) {
      state.lineIndent++;
      ch = state.input.charCodeAt(++state.position);
    }
    if (!detectedIndent && state.lineIndent > textIndent) {
      textIndent = state.lineIndent;
    }
    if (is_EOL(ch)) {
      emptyLines++;
      continue;
    }
    if (state.lineIndent < textIndent) {
      if (chomping === CHOMPING_KEEP) {
        state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
      } else if (chomping === CHOMPING_CLIP) {
        if (didReadContent) {
          state.result += "\n";
        }
      }
      break;
    }
    if (folding) {
      if (is_WHITE_SPACE(ch)) {
        atMoreIndented = true;
        state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        state.result += common.repeat("\n", emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didReadContent) {
          state.result += " ";
        }
      } else {
        state.result += common.repeat("\n", emptyLines);
      }
    } else {
      state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
    }
    didReadContent = true;
    detectedIndent = true;
    emptyLines = 0;
    captureStart = state.position;
    while (!is_EOL(ch) && ch !== 0) {
      ch = state.input.charCodeAt(++state.position);
    }
    captureSegment(state, captureStart, state.position, false);
  }
  return true;
}
function readBlockSequence(state, nodeIndent) {
  var _line, _tag = state.tag, _anchor = state.anchor, _result = [], following, detected = false, ch;
  if (state.firstTabInLine !== -1) return false;
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    if (state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    if (ch !== 45) {
      break;
    }
    following = state.input.charCodeAt(state.position + 1);
    if (!is_WS_OR_EOL(following)) {
      break;
    }
    detected = true;
    state.position++;
    if (skipSeparationSpace(state, true, -1)) {
      if (state.lineIndent <= nodeIndent) {
        _result.push(null);
        ch = state.input.charCodeAt(state.position);
        continue;
      }
    }
    _line = state.line;
    composeNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
    _result.push(state.result);
    skipSeparationSpace(state, true, -1);
    ch = state.input.charCodeAt(state.position);
    if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
      throwError(state, "bad indentation of a sequence entry");
    } else if (state.lineIndent < nodeIndent) {
      break;
    }
  }
  if (detected) {
    state.tag = _tag;
    state.anchor = _anchor;
    state.kind = "sequence";
    state.result = _result;
    return true;
  }
  return false;
}
function readBlockMapping(state, nodeIndent, flowIndent) {
  var following, allowCompact, _line, _keyLine, _keyLineStart, _keyPos, _tag = state.tag, _anchor = state.anchor, _result = {}, overridableKeys = /* @__PURE__ */ Object.create(null), keyTag = null, keyNode = null, valueNode = null, atExplicitKey = false, detected = false, ch;
  if (state.firstTabInLine !== -1) return false;
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    if (!atExplicitKey && state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    following = state.input.charCodeAt(state.position + 1);
    _line = state.line;
    if ((ch === 63 || ch === 58) && is_WS_OR_EOL(following)) {
      if (ch === 63) {
        if (atExplicitKey) {
          storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
          keyTag = keyNode = valueNode = null;
        }
        detected = true;
        atExplicitKey = true;
        allowCompact = true;
      } else if (atExplicitKey) {
        atExplicitKey = false;
        allowCompact = true;
      } else {
        throwError(state, "incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line");
      }
      state.position += 1;
      ch = following;
    } else {
      _keyLine = state.line;
      _keyLineStart = state.lineStart;
      _keyPos = state.position;
      if (!composeNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) {
        break;
      }
      if (state.line === _line) {
        ch = state.input.charCodeAt(state.position);
        while (is_WHITE_SPACE(ch)) {
          ch = state.input.charCodeAt(++state.position);
        }
        if (ch === 58) {
          ch = state.input.charCodeAt(++state.position);
          if (!is_WS_OR_EOL(ch)) {
            throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
          }
          if (atExplicitKey) {
            storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
            keyTag = keyNode = valueNode = null;
          }
          detected = true;
          atExplicitKey = false;
          allowCompact = false;
          keyTag = state.tag;
          keyNode = state.result;
        } else if (detected) {
          throwError(state, "can not read an implicit mapping pair; a colon is missed");
        } else {
          state.tag = _tag;
          state.anchor = _anchor;
          return true;
        }
      } else if (detected) {
        throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
      } else {
        state.tag = _tag;
        state.anchor = _anchor;
        return true;
      }
    }
    if (state.line === _line || state.lineIndent > nodeIndent) {
      if (atExplicitKey) {
        _keyLine = state.line;
        _keyLineStart = state.lineStart;
        _keyPos = state.position;
      }
      if (composeNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, allowCompact)) {
        if (atExplicitKey) {
          keyNode = state.result;
        } else {
          valueNode = state.result;
        }
      }
      if (!atExplicitKey) {
        storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _keyLine, _keyLineStart, _keyPos);
        keyTag = keyNode = valueNode = null;
      }
      skipSeparationSpace(state, true, -1);
      ch = state.input.charCodeAt(state.position);
    }
    if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
      throwError(state, "bad indentation of a mapping entry");
    } else if (state.lineIndent < nodeIndent) {
      break;
    }
  }
  if (atExplicitKey) {
    storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
  }
  if (detected) {
    state.tag = _tag;
    state.anchor = _anchor;
    state.kind = "mapping";
    state.result = _result;
  }
  return detected;
}
function readTagProperty(state) {
  var _position, isVerbatim = false, isNamed = false, tagHandle, tagName, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 33) return false;
  if (state.tag !== null) {
    throwError(state, "duplication of a tag property");
  }
  ch = state.input.charCodeAt(++state.position);
  if (ch === 60) {
    isVerbatim = true;
    ch = state.input.charCodeAt(++state.position);
  } else if (ch === 33) {
    isNamed = true;
    tagHandle = "!!";
    ch = state.input.charCodeAt(++state.position);
  } else {
    tagHandle = "!";
  }
  _position = state.position;
  if (isVerbatim) {
    do {
      ch = state.input.charCodeAt(++state.position);
    } while (ch !== 0 && ch !== 62);
    if (state.position < state.length) {
      tagName = state.input.slice(_position, state.position);
      ch = state.input.charCodeAt(++state.position);
    } else {
      throwError(state, "unexpected end of the stream within a verbatim tag");
    }
  } else {
    while (ch !== 0 && !is_WS_OR_EOL(ch)) {
      if (ch === 33) {
        if (!isNamed) {
          tagHandle = state.input.slice(_position - 1, state.position + 1);
          if (!PATTERN_TAG_HANDLE.test(tagHandle)) {
            throwError(state, "named tag handle cannot contain such characters");
          }
          isNamed = true;
          _position = state.position + 1;
        } else {
          throwError(state, "tag suffix cannot contain exclamation marks");
        }
      }
      ch = state.input.charCodeAt(++state.position);
    }
    tagName = state.input.slice(_position, state.position);
    if (PATTERN_FLOW_INDICATORS.test(tagName)) {
      throwError(state, "tag suffix cannot contain flow indicator characters");
    }
  }
  if (tagName && !PATTERN_TAG_URI.test(tagName)) {
    throwError(state, "tag name cannot contain such characters: " + tagName);
  }
  try {
    tagName = decodeURIComponent(tagName);
  } catch (err) {
    throwError(state, "tag name is malformed: " + tagName);
  }
  if (isVerbatim) {
    state.tag = tagName;
  } else if (_hasOwnProperty$1.call(state.tagMap, tagHandle)) {
    state.tag = state.tagMap[tagHandle] + tagName;
  } else if (tagHandle === "!") {
    state.tag = "!" + tagName;
  } else if (tagHandle === "!!") {
    state.tag = "tag:yaml.org,2002:" + tagName;
  } else {
    throwError(state, 'undeclared tag handle "' + tagHandle + '"');
  }
  return true;
}
function readAnchorProperty(state) {
  var _position, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 38) return false;
  if (state.anchor !== null) {
    throwError(state, "duplication of an anchor property");
  }
  ch = state.input.charCodeAt(++state.position);
  _position = state.position;
  while (ch !== 0 && !is_WS_OR_EOL(ch) && !is_FLOW_INDICATOR(ch)) {
    ch = state.input.charCodeAt(++state.position);
  }
  if (state.position === _position) {
    throwError(state, "name of an anchor node must contain at least one character");
  }
  state.anchor = state.input.slice(_position, state.position);
  return true;
}
function readAlias(state) {
  var _position, alias, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 42) return false;
  ch = state.input.charCodeAt(++state.position);
  _position = state.position;
  while (ch !== 0 && !is_WS_OR_EOL(ch) && !is_FLOW_INDICATOR(ch)) {
    ch = state.input.charCodeAt(++state.position);
  }
  if (state.position === _position) {
    throwError(state, "name of an alias node must contain at least one character");
  }
  alias = state.input.slice(_position, state.position);
  if (!_hasOwnProperty$1.call(state.anchorMap, alias)) {
    throwError(state, 'unidentified alias "' + alias + '"');
  }
  state.result = state.anchorMap[alias];
  skipSeparationSpace(state, true, -1);
  return true;
}
function composeNode(state, parentIndent, nodeContext, allowToSeek, allowCompact) {
  var allowBlockStyles, allowBlockScalars, allowBlockCollections, indentStatus = 1, atNewLine = false, hasContent = false, typeIndex, typeQuantity, typeList, type2, flowIndent, blockIndent;
  if (state.listener !== null) {
    state.listener("open", state);
  }
  state.tag = null;
  state.anchor = null;
  state.kind = null;
  state.result = null;
  allowBlockStyles = allowBlockScalars = allowBlockCollections = CONTEXT_BLOCK_OUT === nodeContext || CONTEXT_BLOCK_IN === nodeContext;
  if (allowToSeek) {
    if (skipSeparationSpace(state, true, -1)) {
      atNewLine = true;
      if (state.lineIndent > parentIndent) {
        indentStatus = 1;
      } else if (state.lineIndent === parentIndent) {
        indentStatus = 0;
      } else if (state.lineIndent < parentIndent) {
        indentStatus = -1;
      }
    }
  }
  if (indentStatus === 1) {
    while (readTagProperty(state) || readAnchorProperty(state)) {
      if (skipSeparationSpace(state, true, -1)) {
        atNewLine = true;
        allowBlockCollections = allowBlockStyles;
        if (state.lineIndent > parentIndent) {
          indentStatus = 1;
        } else if (state.lineIndent === parentIndent) {
          indentStatus = 0;
        } else if (state.lineIndent < parentIndent) {
          indentStatus = -1;
        }
      } else {
        allowBlockCollections = false;
      }
    }
  }
  if (allowBlockCollections) {
    allowBlockCollections = atNewLine || allowCompact;
  }
  if (indentStatus === 1 || CONTEXT_BLOCK_OUT === nodeContext) {
    if (CONTEXT_FLOW_IN === nodeContext || CONTEXT_FLOW_OUT === nodeContext) {
      flowIndent = parentIndent;
    } else {
      flowIndent = parentIndent + 1;
    }
    blockIndent = state.position - state.lineStart;
    if (indentStatus === 1) {
      if (allowBlockCollections && (readBlockSequence(state, blockIndent) || readBlockMapping(state, blockIndent, flowIndent)) || readFlowCollection(state, flowIndent)) {
        hasContent = true;
      } else {
        if (allowBlockScalars && readBlockScalar(state, flowIndent) || readSingleQuotedScalar(state, flowIndent) || readDoubleQuotedScalar(state, flowIndent)) {
          hasContent = true;
        } else if (readAlias(state)) {
          hasContent = true;
          if (state.tag !== null || state.anchor !== null) {
            throwError(state, "alias node should not have any properties");
          }
        } else if (readPlainScalar(state, flowIndent, CONTEXT_FLOW_IN === nodeContext)) {
          hasContent = true;
          if (state.tag === null) {
            state.tag = "?";
          }
        }
        if (state.anchor !== null) {
          state.anchorMap[state.anchor] = state.result;
        }
      }
    } else if (indentStatus === 0) {
      hasContent = allowBlockCollections && readBlockSequence(state, blockIndent);
    }
  }
  if (state.tag === null) {
    if (state.anchor !== null) {
      state.anchorMap[state.anchor] = state.result;
    }
  } else if (state.tag === "?") {
    if (state.result !== null && state.kind !== "scalar") {
      throwError(state, 'unacceptable node kind for !<?> tag; it should be "scalar", not "' + state.kind + '"');
    }
    for (typeIndex = 0, typeQuantity = state.implicitTypes.length; typeIndex < typeQuantity; typeIndex += 1) {
      type2 = state.implicitTypes[typeIndex];
      if (type2.resolve(state.result)) {
        state.result = type2.construct(state.result);
        state.tag = type2.tag;
        if (state.anchor !== null) {
          state.anchorMap[state.anchor] = state.result;
        }
        break;
      }
    }
  } else if (state.tag !== "!") {
    if (_hasOwnProperty$1.call(state.typeMap[state.kind || "fallback"], state.tag)) {
      type2 = state.typeMap[state.kind || "fallback"][state.tag];
    } else {
      type2 = null;
      typeList = state.typeMap.multi[state.kind || "fallback"];
      for (typeIndex = 0, typeQuantity = typeList.length; typeIndex < typeQuantity; typeIndex += 1) {
        if (state.tag.slice(0, typeList[typeIndex].tag.length) === typeList[typeIndex].tag) {
          type2 = typeList[typeIndex];
          break;
        }
      }
    }
    if (!type2) {
      throwError(state, "unknown tag !<" + state.tag + ">");
    }
    if (state.result !== null && type2.kind !== state.kind) {
      throwError(state, "unacceptable node kind for !<" + state.tag + '> tag; it should be "' + type2.kind + '", not "' + state.kind + '"');
    }
    if (!type2.resolve(state.result, state.tag)) {
      throwError(state, "cannot resolve a node with !<" + state.tag + "> explicit tag");
    } else {
      state.result = type2.construct(state.result, state.tag);
      if (state.anchor !== null) {
        state.anchorMap[state.anchor] = state.result;
      }
    }
  }
  if (state.listener !== null) {
    state.listener("close", state);
  }
  return state.tag !== null || state.anchor !== null || hasContent;
}
function readDocument(state) {
  var documentStart = state.position, _position, directiveName, directiveArgs, hasDirectives = false, ch;
  state.version = null;
  state.checkLineBreaks = state.legacy;
  state.tagMap = /* @__PURE__ */ Object.create(null);
  state.anchorMap = /* @__PURE__ */ Object.create(null);
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    skipSeparationSpace(state, true, -1);
    ch = state.input.charCodeAt(state.position);
    if (state.lineIndent > 0 || ch !== 37) {
      break;
    }
    hasDirectives = true;
    ch = state.input.charCodeAt(++state.position);
    _position = state.position;
    while (ch !== 0 && !is_WS_OR_EOL(ch)) {
      ch = state.input.charCodeAt(++state.position);
    }
    directiveName = state.input.slice(_position, state.position);
    directiveArgs = [];
    if (directiveName.length < 1) {
      throwError(state, "directive name must not be less than one character in length");
    }
    while (ch !== 0) {
      while (is_WHITE_SPACE(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      if (ch === 35) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (ch !== 0 && !is_EOL(ch));
        break;
      }
      if (is_EOL(ch)) break;
      _position = state.position;
      while (ch !== 0 && !is_WS_OR_EOL(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      directiveArgs.push(state.input.slice(_position, state.position));
    }
    if (ch !== 0) readLineBreak(state);
    if (_hasOwnProperty$1.call(directiveHandlers, directiveName)) {
      directiveHandlers[directiveName](state, directiveName, directiveArgs);
    } else {
      throwWarning(state, 'unknown document directive "' + directiveName + '"');
    }
  }
  skipSeparationSpace(state, true, -1);
  if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45) {
    state.position += 3;
    skipSeparationSpace(state, true, -1);
  } else if (hasDirectives) {
    throwError(state, "directives end mark is expected");
  }
  composeNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, true);
  skipSeparationSpace(state, true, -1);
  if (state.checkLineBreaks && PATTERN_NON_ASCII_LINE_BREAKS.test(state.input.slice(documentStart, state.position))) {
    throwWarning(state, "non-ASCII line breaks are interpreted as content");
  }
  state.documents.push(state.result);
  if (state.position === state.lineStart && testDocumentSeparator(state)) {
    if (state.input.charCodeAt(state.position) === 46) {
      state.position += 3;
      skipSeparationSpace(state, true, -1);
    }
    return;
  }
  if (state.position < state.length - 1) {
    throwError(state, "end of the stream or a document separator is expected");
  } else {
    return;
  }
}
function loadDocuments(input, options) {
  input = String(input);
  options = options || {};
  if (input.length !== 0) {
    if (input.charCodeAt(input.length - 1) !== 10 && input.charCodeAt(input.length - 1) !== 13) {
      input += "\n";
    }
    if (input.charCodeAt(0) === 65279) {
      input = input.slice(1);
    }
  }
  var state = new State$1(input, options);
  var nullpos = input.indexOf("\0");
  if (nullpos !== -1) {
    state.position = nullpos;
    throwError(state, "null byte is not allowed in input");
  }
  state.input += "\0";
  while (state.input.charCodeAt(state.position) === 32) {
    state.lineIndent += 1;
    state.position += 1;
  }
  while (state.position < state.length - 1) {
    readDocument(state);
  }
  return state.documents;
}
function loadAll$1(input, iterator, options) {
  if (iterator !== null && typeof iterator === "object" && typeof options === "undefined") {
    options = iterator;
    iterator = null;
  }
  var documents = loadDocuments(input, options);
  if (typeof iterator !== "function") {
    return documents;
  }
  for (var index = 0, length = documents.length; index < length; index += 1) {
    iterator(documents[index]);
  }
}
function load$1(input, options) {
  var documents = loadDocuments(input, options);
  if (documents.length === 0) {
    return void 0;
  } else if (documents.length === 1) {
    return documents[0];
  }
  throw new exception("expected a single document in the stream, but found more");
}
var loadAll_1 = loadAll$1;
var load_1 = load$1;
var loader = {
  loadAll: loadAll_1,
  load: load_1
};
var _toString = Object.prototype.toString;
var _hasOwnProperty = Object.prototype.hasOwnProperty;
var CHAR_BOM = 65279;
var CHAR_TAB = 9;
var CHAR_LINE_FEED = 10;
var CHAR_CARRIAGE_RETURN = 13;
var CHAR_SPACE = 32;
var CHAR_EXCLAMATION = 33;
var CHAR_DOUBLE_QUOTE = 34;
var CHAR_SHARP = 35;
var CHAR_PERCENT = 37;
var CHAR_AMPERSAND = 38;
var CHAR_SINGLE_QUOTE = 39;
var CHAR_ASTERISK = 42;
var CHAR_COMMA = 44;
var CHAR_MINUS = 45;
var CHAR_COLON = 58;
var CHAR_EQUALS = 61;
var CHAR_GREATER_THAN = 62;
var CHAR_QUESTION = 63;
var CHAR_COMMERCIAL_AT = 64;
var CHAR_LEFT_SQUARE_BRACKET = 91;
var CHAR_RIGHT_SQUARE_BRACKET = 93;
var CHAR_GRAVE_ACCENT = 96;
var CHAR_LEFT_CURLY_BRACKET = 123;
var CHAR_VERTICAL_LINE = 124;
var CHAR_RIGHT_CURLY_BRACKET = 125;
var ESCAPE_SEQUENCES = {};
ESCAPE_SEQUENCES[0] = "\\0";
ESCAPE_SEQUENCES[7] = "\\a";
ESCAPE_SEQUENCES[8] = "\\b";
ESCAPE_SEQUENCES[9] = "\\t";
ESCAPE_SEQUENCES[10] = "\\n";
ESCAPE_SEQUENCES[11] = "\\v";
ESCAPE_SEQUENCES[12] = "\\f";
ESCAPE_SEQUENCES[13] = "\\r";
ESCAPE_SEQUENCES[27] = "\\e";
ESCAPE_SEQUENCES[34] = '\\"';
ESCAPE_SEQUENCES[92] = "\\\\";
ESCAPE_SEQUENCES[133] = "\\N";
ESCAPE_SEQUENCES[160] = "\\_";
ESCAPE_SEQUENCES[8232] = "\\L";
ESCAPE_SEQUENCES[8233] = "\\P";
var DEPRECATED_BOOLEANS_SYNTAX = [
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF"
];
var DEPRECATED_BASE60_SYNTAX = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
function compileStyleMap(schema2, map2) {
  var result, keys, index, length, tag, style, type2;
  if (map2 === null) return {};
  result = {};
  keys = Object.keys(map2);
  for (index = 0, length = keys.length; index < length; index += 1) {
    tag = keys[index];
    style = String(map2[tag]);
    if (tag.slice(0, 2) === "!!") {
      tag = "tag:yaml.org,2002:" + tag.slice(2);
    }
    type2 = schema2.compiledTypeMap["fallback"][tag];
    if (type2 && _hasOwnProperty.call(type2.styleAliases, style)) {
      style = type2.styleAliases[style];
    }
    result[tag] = style;
  }
  return result;
}
function encodeHex(character) {
  var string, handle, length;
  string = character.toString(16).toUpperCase();
  if (character <= 255) {
    handle = "x";
    length = 2;
  } else if (character <= 65535) {
    handle = "u";
    length = 4;
  } else if (character <= 4294967295) {
    handle = "U";
    length = 8;
  } else {
    throw new exception("code point within a string may not be greater than 0xFFFFFFFF");
  }
  return "\\" + handle + common.repeat("0", length - string.length) + string;
}
var QUOTING_TYPE_SINGLE = 1;
var QUOTING_TYPE_DOUBLE = 2;
function State(options) {
  this.schema = options["schema"] || _default;
  this.indent = Math.max(1, options["indent"] || 2);
  this.noArrayIndent = options["noArrayIndent"] || false;
  this.skipInvalid = options["skipInvalid"] || false;
  this.flowLevel = common.isNothing(options["flowLevel"]) ? -1 : options["flowLevel"];
  this.styleMap = compileStyleMap(this.schema, options["styles"] || null);
  this.sortKeys = options["sortKeys"] || false;
  this.lineWidth = options["lineWidth"] || 80;
  this.noRefs = options["noRefs"] || false;
  this.noCompatMode = options["noCompatMode"] || false;
  this.condenseFlow = options["condenseFlow"] || false;
  this.quotingType = options["quotingType"] === '"' ? QUOTING_TYPE_DOUBLE : QUOTING_TYPE_SINGLE;
  this.forceQuotes = options["forceQuotes"] || false;
  this.replacer = typeof options["replacer"] === "function" ? options["replacer"] : null;
  this.implicitTypes = this.schema.compiledImplicit;
  this.explicitTypes = this.schema.compiledExplicit;
  this.tag = null;
  this.result = "";
  this.duplicates = [];
  this.usedDuplicates = null;
}
function indentString(string, spaces) {
  var ind = common.repeat(" ", spaces), position = 0, next = -1, result = "", line, length = string.length;
  while (position < length) {
    next = string.indexOf("\n", position);
    if (next === -1) {
      line = string.slice(position);
      position = length;
    } else {
      line = string.slice(position, next + 1);
      position = next + 1;
    }
    if (line.length && line !== "\n") result += ind;
    result += line;
  }
  return result;
}
function generateNextLine(state, level) {
  return "\n" + common.repeat(" ", state.indent * level);
}
function testImplicitResolving(state, str2) {
  var index, length, type2;
  for (index = 0, length = state.implicitTypes.length; index < length; index += 1) {
    type2 = state.implicitTypes[index];
    if (type2.resolve(str2)) {
      return true;
    }
  }
  return false;
}
function isWhitespace(c) {
  return c === CHAR_SPACE || c === CHAR_TAB;
}
function isPrintable(c) {
  return 32 <= c && c <= 126 || 161 <= c && c <= 55295 && c !== 8232 && c !== 8233 || 57344 <= c && c <= 65533 && c !== CHAR_BOM || 65536 <= c && c <= 1114111;
}
function isNsCharOrWhitespace(c) {
  return isPrintable(c) && c !== CHAR_BOM && c !== CHAR_CARRIAGE_RETURN && c !== CHAR_LINE_FEED;
}
function isPlainSafe(c, prev, inblock) {
  var cIsNsCharOrWhitespace = isNsCharOrWhitespace(c);
  var cIsNsChar = cIsNsCharOrWhitespace && !isWhitespace(c);
  return (
    // ns-plain-safe
    (inblock ? (
      // c = flow-in
      cIsNsCharOrWhitespace
    ) : cIsNsCharOrWhitespace && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET) && c !== CHAR_SHARP && !(prev === CHAR_COLON && !cIsNsChar) || isNsCharOrWhitespace(prev) && !isWhitespace(prev) && c === CHAR_SHARP || prev === CHAR_COLON && cIsNsChar
  );
}
function isPlainSafeFirst(c) {
  return isPrintable(c) && c !== CHAR_BOM && !isWhitespace(c) && c !== CHAR_MINUS && c !== CHAR_QUESTION && c !== CHAR_COLON && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET && c !== CHAR_SHARP && c !== CHAR_AMPERSAND && c !== CHAR_ASTERISK && c !== CHAR_EXCLAMATION && c !== CHAR_VERTICAL_LINE && c !== CHAR_EQUALS && c !== CHAR_GREATER_THAN && c !== CHAR_SINGLE_QUOTE && c !== CHAR_DOUBLE_QUOTE && c !== CHAR_PERCENT && c !== CHAR_COMMERCIAL_AT && c !== CHAR_GRAVE_ACCENT;
}
function isPlainSafeLast(c) {
  return !isWhitespace(c) && c !== CHAR_COLON;
}
function codePointAt(string, pos) {
  var first = string.charCodeAt(pos), second;
  if (first >= 55296 && first <= 56319 && pos + 1 < string.length) {
    second = string.charCodeAt(pos + 1);
    if (second >= 56320 && second <= 57343) {
      return (first - 55296) * 1024 + second - 56320 + 65536;
    }
  }
  return first;
}
function needIndentIndicator(string) {
  var leadingSpaceRe = /^\n* /;
  return leadingSpaceRe.test(string);
}
var STYLE_PLAIN = 1;
var STYLE_SINGLE = 2;
var STYLE_LITERAL = 3;
var STYLE_FOLDED = 4;
var STYLE_DOUBLE = 5;
function chooseScalarStyle(string, singleLineOnly, indentPerLevel, lineWidth, testAmbiguousType, quotingType, forceQuotes, inblock) {
  var i2;
  var char = 0;
  var prevChar = null;
  var hasLineBreak = false;
  var hasFoldableLine = false;
  var shouldTrackWidth = lineWidth !== -1;
  var previousLineBreak = -1;
  var plain = isPlainSafeFirst(codePointAt(string, 0)) && isPlainSafeLast(codePointAt(string, string.length - 1));
  if (singleLineOnly || forceQuotes) {
    for (i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
      char = codePointAt(string, i2);
      if (!isPrintable(char)) {
        return STYLE_DOUBLE;
      }
      plain = plain && isPlainSafe(char, prevChar, inblock);
      prevChar = char;
    }
  } else {
    for (i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
      char = codePointAt(string, i2);
      if (char === CHAR_LINE_FEED) {
        hasLineBreak = true;
        if (shouldTrackWidth) {
          hasFoldableLine = hasFoldableLine || // Foldable line = too long, and not more-indented.
          i2 - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ";
          previousLineBreak = i2;
        }
      } else if (!isPrintable(char)) {
        return STYLE_DOUBLE;
      }
      plain = plain && isPlainSafe(char, prevChar, inblock);
      prevChar = char;
    }
    hasFoldableLine = hasFoldableLine || shouldTrackWidth && (i2 - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ");
  }
  if (!hasLineBreak && !hasFoldableLine) {
    if (plain && !forceQuotes && !testAmbiguousType(string)) {
      return STYLE_PLAIN;
    }
    return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
  }
  if (indentPerLevel > 9 && needIndentIndicator(string)) {
    return STYLE_DOUBLE;
  }
  if (!forceQuotes) {
    return hasFoldableLine ? STYLE_FOLDED : STYLE_LITERAL;
  }
  return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
}
function writeScalar(state, string, level, iskey, inblock) {
  state.dump = (function() {
    if (string.length === 0) {
      return state.quotingType === QUOTING_TYPE_DOUBLE ? '""' : "''";
    }
    if (!state.noCompatMode) {
      if (DEPRECATED_BOOLEANS_SYNTAX.indexOf(string) !== -1 || DEPRECATED_BASE60_SYNTAX.test(string)) {
        return state.quotingType === QUOTING_TYPE_DOUBLE ? '"' + string + '"' : "'" + string + "'";
      }
    }
    var indent2 = state.indent * Math.max(1, level);
    var lineWidth = state.lineWidth === -1 ? -1 : Math.max(Math.min(state.lineWidth, 40), state.lineWidth - indent2);
    var singleLineOnly = iskey || state.flowLevel > -1 && level >= state.flowLevel;
    function testAmbiguity(string2) {
      return testImplicitResolving(state, string2);
    }
    switch (chooseScalarStyle(
      string,
      singleLineOnly,
      state.indent,
      lineWidth,
      testAmbiguity,
      state.quotingType,
      state.forceQuotes && !iskey,
      inblock
    )) {
      case STYLE_PLAIN:
        return string;
      case STYLE_SINGLE:
        return "'" + string.replace(/'/g, "''") + "'";
      case STYLE_LITERAL:
        return "|" + blockHeader(string, state.indent) + dropEndingNewline(indentString(string, indent2));
      case STYLE_FOLDED:
        return ">" + blockHeader(string, state.indent) + dropEndingNewline(indentString(foldString(string, lineWidth), indent2));
      case STYLE_DOUBLE:
        return '"' + escapeString(string) + '"';
      default:
        throw new exception("impossible error: invalid scalar style");
    }
  })();
}
function blockHeader(string, indentPerLevel) {
  var indentIndicator = needIndentIndicator(string) ? String(indentPerLevel) : "";
  var clip = string[string.length - 1] === "\n";
  var keep = clip && (string[string.length - 2] === "\n" || string === "\n");
  var chomp = keep ? "+" : clip ? "" : "-";
  return indentIndicator + chomp + "\n";
}
function dropEndingNewline(string) {
  return string[string.length - 1] === "\n" ? string.slice(0, -1) : string;
}
function foldString(string, width) {
  var lineRe = /(\n+)([^\n]*)/g;
  var result = (function() {
    var nextLF = string.indexOf("\n");
    nextLF = nextLF !== -1 ? nextLF : string.length;
    lineRe.lastIndex = nextLF;
    return foldLine(string.slice(0, nextLF), width);
  })();
  var prevMoreIndented = string[0] === "\n" || string[0] === " ";
  var moreIndented;
  var match;
  while (match = lineRe.exec(string)) {
    var prefix = match[1], line = match[2];
    moreIndented = line[0] === " ";
    result += prefix + (!prevMoreIndented && !moreIndented && line !== "" ? "\n" : "") + foldLine(line, width);
    prevMoreIndented = moreIndented;
  }
  return result;
}
function foldLine(line, width) {
  if (line === "" || line[0] === " ") return line;
  var breakRe = / [^ ]/g;
  var match;
  var start = 0, end, curr = 0, next = 0;
  var result = "";
  while (match = breakRe.exec(line)) {
    next = match.index;
    if (next - start > width) {
      end = curr > start ? curr : next;
      result += "\n" + line.slice(start, end);
      start = end + 1;
    }
    curr = next;
  }
  result += "\n";
  if (line.length - start > width && curr > start) {
    result += line.slice(start, curr) + "\n" + line.slice(curr + 1);
  } else {
    result += line.slice(start);
  }
  return result.slice(1);
}
function escapeString(string) {
  var result = "";
  var char = 0;
  var escapeSeq;
  for (var i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
    char = codePointAt(string, i2);
    escapeSeq = ESCAPE_SEQUENCES[char];
    if (!escapeSeq && isPrintable(char)) {
      result += string[i2];
      if (char >= 65536) result += string[i2 + 1];
    } else {
      result += escapeSeq || encodeHex(char);
    }
  }
  return result;
}
function writeFlowSequence(state, level, object) {
  var _result = "", _tag = state.tag, index, length, value;
  for (index = 0, length = object.length; index < length; index += 1) {
    value = object[index];
    if (state.replacer) {
      value = state.replacer.call(object, String(index), value);
    }
    if (writeNode(state, level, value, false, false) || typeof value === "undefined" && writeNode(state, level, null, false, false)) {
      if (_result !== "") _result += "," + (!state.condenseFlow ? " " : "");
      _result += state.dump;
    }
  }
  state.tag = _tag;
  state.dump = "[" + _result + "]";
}
function writeBlockSequence(state, level, object, compact) {
  var _result = "", _tag = state.tag, index, length, value;
  for (index = 0, length = object.length; index < length; index += 1) {
    value = object[index];
    if (state.replacer) {
      value = state.replacer.call(object, String(index), value);
    }
    if (writeNode(state, level + 1, value, true, true, false, true) || typeof value === "undefined" && writeNode(state, level + 1, null, true, true, false, true)) {
      if (!compact || _result !== "") {
        _result += generateNextLine(state, level);
      }
      if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
        _result += "-";
      } else {
        _result += "- ";
      }
      _result += state.dump;
    }
  }
  state.tag = _tag;
  state.dump = _result || "[]";
}
function writeFlowMapping(state, level, object) {
  var _result = "", _tag = state.tag, objectKeyList = Object.keys(object), index, length, objectKey, objectValue, pairBuffer;
  for (index = 0, length = objectKeyList.length; index < length; index += 1) {
    pairBuffer = "";
    if (_result !== "") pairBuffer += ", ";
    if (state.condenseFlow) pairBuffer += '"';
    objectKey = objectKeyList[index];
    objectValue = object[objectKey];
    if (state.replacer) {
      objectValue = state.replacer.call(object, objectKey, objectValue);
    }
    if (!writeNode(state, level, objectKey, false, false)) {
      continue;
    }
    if (state.dump.length > 1024) pairBuffer += "? ";
    pairBuffer += state.dump + (state.condenseFlow ? '"' : "") + ":" + (state.condenseFlow ? "" : " ");
    if (!writeNode(state, level, objectValue, false, false)) {
      continue;
    }
    pairBuffer += state.dump;
    _result += pairBuffer;
  }
  state.tag = _tag;
  state.dump = "{" + _result + "}";
}
function writeBlockMapping(state, level, object, compact) {
  var _result = "", _tag = state.tag, objectKeyList = Object.keys(object), index, length, objectKey, objectValue, explicitPair, pairBuffer;
  if (state.sortKeys === true) {
    objectKeyList.sort();
  } else if (typeof state.sortKeys === "function") {
    objectKeyList.sort(state.sortKeys);
  } else if (state.sortKeys) {
    throw new exception("sortKeys must be a boolean or a function");
  }
  for (index = 0, length = objectKeyList.length; index < length; index += 1) {
    pairBuffer = "";
    if (!compact || _result !== "") {
      pairBuffer += generateNextLine(state, level);
    }
    objectKey = objectKeyList[index];
    objectValue = object[objectKey];
    if (state.replacer) {
      objectValue = state.replacer.call(object, objectKey, objectValue);
    }
    if (!writeNode(state, level + 1, objectKey, true, true, true)) {
      continue;
    }
    explicitPair = state.tag !== null && state.tag !== "?" || state.dump && state.dump.length > 1024;
    if (explicitPair) {
      if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
        pairBuffer += "?";
      } else {
        pairBuffer += "? ";
      }
    }
    pairBuffer += state.dump;
    if (explicitPair) {
      pairBuffer += generateNextLine(state, level);
    }
    if (!writeNode(state, level + 1, objectValue, true, explicitPair)) {
      continue;
    }
    if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
      pairBuffer += ":";
    } else {
      pairBuffer += ": ";
    }
    pairBuffer += state.dump;
    _result += pairBuffer;
  }
  state.tag = _tag;
  state.dump = _result || "{}";
}
function detectType(state, object, explicit) {
  var _result, typeList, index, length, type2, style;
  typeList = explicit ? state.explicitTypes : state.implicitTypes;
  for (index = 0, length = typeList.length; index < length; index += 1) {
    type2 = typeList[index];
    if ((type2.instanceOf || type2.predicate) && (!type2.instanceOf || typeof object === "object" && object instanceof type2.instanceOf) && (!type2.predicate || type2.predicate(object))) {
      if (explicit) {
        if (type2.multi && type2.representName) {
          state.tag = type2.representName(object);
        } else {
          state.tag = type2.tag;
        }
      } else {
        state.tag = "?";
      }
      if (type2.represent) {
        style = state.styleMap[type2.tag] || type2.defaultStyle;
        if (_toString.call(type2.represent) === "[object Function]") {
          _result = type2.represent(object, style);
        } else if (_hasOwnProperty.call(type2.represent, style)) {
          _result = type2.represent[style](object, style);
        } else {
          throw new exception("!<" + type2.tag + '> tag resolver accepts not "' + style + '" style');
        }
        state.dump = _result;
      }
      return true;
    }
  }
  return false;
}
function writeNode(state, level, object, block, compact, iskey, isblockseq) {
  state.tag = null;
  state.dump = object;
  if (!detectType(state, object, false)) {
    detectType(state, object, true);
  }
  var type2 = _toString.call(state.dump);
  var inblock = block;
  var tagStr;
  if (block) {
    block = state.flowLevel < 0 || state.flowLevel > level;
  }
  var objectOrArray = type2 === "[object Object]" || type2 === "[object Array]", duplicateIndex, duplicate;
  if (objectOrArray) {
    duplicateIndex = state.duplicates.indexOf(object);
    duplicate = duplicateIndex !== -1;
  }
  if (state.tag !== null && state.tag !== "?" || duplicate || state.indent !== 2 && level > 0) {
    compact = false;
  }
  if (duplicate && state.usedDuplicates[duplicateIndex]) {
    state.dump = "*ref_" + duplicateIndex;
  } else {
    if (objectOrArray && duplicate && !state.usedDuplicates[duplicateIndex]) {
      state.usedDuplicates[duplicateIndex] = true;
    }
    if (type2 === "[object Object]") {
      if (block && Object.keys(state.dump).length !== 0) {
        writeBlockMapping(state, level, state.dump, compact);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + state.dump;
        }
      } else {
        writeFlowMapping(state, level, state.dump);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + " " + state.dump;
        }
      }
    } else if (type2 === "[object Array]") {
      if (block && state.dump.length !== 0) {
        if (state.noArrayIndent && !isblockseq && level > 0) {
          writeBlockSequence(state, level - 1, state.dump, compact);
        } else {
          writeBlockSequence(state, level, state.dump, compact);
        }
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + state.dump;
        }
      } else {
        writeFlowSequence(state, level, state.dump);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + " " + state.dump;
        }
      }
    } else if (type2 === "[object String]") {
      if (state.tag !== "?") {
        writeScalar(state, state.dump, level, iskey, inblock);
      }
    } else if (type2 === "[object Undefined]") {
      return false;
    } else {
      if (state.skipInvalid) return false;
      throw new exception("unacceptable kind of an object to dump " + type2);
    }
    if (state.tag !== null && state.tag !== "?") {
      tagStr = encodeURI(
        state.tag[0] === "!" ? state.tag.slice(1) : state.tag
      ).replace(/!/g, "%21");
      if (state.tag[0] === "!") {
        tagStr = "!" + tagStr;
      } else if (tagStr.slice(0, 18) === "tag:yaml.org,2002:") {
        tagStr = "!!" + tagStr.slice(18);
      } else {
        tagStr = "!<" + tagStr + ">";
      }
      state.dump = tagStr + " " + state.dump;
    }
  }
  return true;
}
function getDuplicateReferences(object, state) {
  var objects = [], duplicatesIndexes = [], index, length;
  inspectNode(object, objects, duplicatesIndexes);
  for (index = 0, length = duplicatesIndexes.length; index < length; index += 1) {
    state.duplicates.push(objects[duplicatesIndexes[index]]);
  }
  state.usedDuplicates = new Array(length);
}
function inspectNode(object, objects, duplicatesIndexes) {
  var objectKeyList, index, length;
  if (object !== null && typeof object === "object") {
    index = objects.indexOf(object);
    if (index !== -1) {
      if (duplicatesIndexes.indexOf(index) === -1) {
        duplicatesIndexes.push(index);
      }
    } else {
      objects.push(object);
      if (Array.isArray(object)) {
        for (index = 0, length = object.length; index < length; index += 1) {
          inspectNode(object[index], objects, duplicatesIndexes);
        }
      } else {
        objectKeyList = Object.keys(object);
        for (index = 0, length = objectKeyList.length; index < length; index += 1) {
          inspectNode(object[objectKeyList[index]], objects, duplicatesIndexes);
        }
      }
    }
  }
}
function dump$1(input, options) {
  options = options || {};
  var state = new State(options);
  if (!state.noRefs) getDuplicateReferences(input, state);
  var value = input;
  if (state.replacer) {
    value = state.replacer.call({ "": value }, "", value);
  }
  if (writeNode(state, 0, value, true, true)) return state.dump + "\n";
  return "";
}
var dump_1 = dump$1;
var dumper = {
  dump: dump_1
};
function renamed(from, to) {
  return function() {
    throw new Error("Function yaml." + from + " is removed in js-yaml 4. Use yaml." + to + " instead, which is now safe by default.");
  };
}
var Type = type;
var Schema = schema;
var FAILSAFE_SCHEMA = failsafe;
var JSON_SCHEMA = json;
var CORE_SCHEMA = core;
var DEFAULT_SCHEMA = _default;
var load = loader.load;
var loadAll = loader.loadAll;
var dump = dumper.dump;
var YAMLException = exception;
var types = {
  binary,
  float,
  map,
  null: _null,
  pairs,
  set,
  timestamp,
  bool,
  int,
  merge,
  omap,
  seq,
  str
};
var safeLoad = renamed("safeLoad", "load");
var safeLoadAll = renamed("safeLoadAll", "loadAll");
var safeDump = renamed("safeDump", "dump");
var jsYaml = {
  Type,
  Schema,
  FAILSAFE_SCHEMA,
  JSON_SCHEMA,
  CORE_SCHEMA,
  DEFAULT_SCHEMA,
  load,
  loadAll,
  dump,
  YAMLException,
  types,
  safeLoad,
  safeLoadAll,
  safeDump
};
var js_yaml_default = jsYaml;

// src/parse/yaml.ts
var DEFAULT_LIMITS = { maxDepth: 500, maxExpandedNodes: 2e6 };
var STANDARD_TAG = /^!!(str|int|float|bool|null|map|seq|binary|timestamp|merge)$|^tag:yaml\.org,2002:/;
var YamlBuildError = class extends Error {
  constructor(problem) {
    super(problem.message);
    this.problem = problem;
  }
  problem;
};
var Y11_INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$/;
var Y11_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
function resolveYaml11(text) {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57 || c === 45 || c === 43 || c === 46) return resolveNumber(text, c);
  const len = text.length;
  if (len > 5) return text;
  switch (c) {
    case 126:
      return len === 1 ? null : text;
    case 110:
      return len === 1 || text === "no" ? false : text === "null" ? null : text;
    case 78:
      return len === 1 || text === "No" || text === "NO" ? false : text === "Null" || text === "NULL" ? null : text;
    case 121:
      return len === 1 || text === "yes" ? true : text;
    case 89:
      return len === 1 || text === "Yes" || text === "YES" ? true : text;
    case 116:
      return text === "true" ? true : text;
    case 84:
      return text === "True" || text === "TRUE" ? true : text;
    case 102:
      return text === "false" ? false : text;
    case 70:
      return text === "False" || text === "FALSE" ? false : text;
    case 111:
      return text === "on" ? true : text === "off" ? false : text;
    case 79:
      return text === "On" || text === "ON" ? true : text === "Off" || text === "OFF" ? false : text;
    default:
      return len === 0 ? null : text;
  }
}
function resolveNumber(text, c) {
  if (c >= 48 && c <= 57) {
    let i2 = 1;
    while (i2 < text.length && text.charCodeAt(i2) >= 48 && text.charCodeAt(i2) <= 57) i2++;
    if (i2 === text.length) {
      if (c !== 48 || i2 === 1) return Number(text);
    } else {
      const d = text.charCodeAt(i2);
      if (d !== 95 && d !== 46 && d !== 98 && d !== 120) return text;
    }
  }
  if (Y11_INT.test(text)) {
    const t = text.replace(/_/g, "");
    const sign = t.startsWith("-") ? -1 : 1;
    const body = t.replace(/^[-+]/, "");
    if (body.startsWith("0b")) return sign * parseInt(body.slice(2), 2);
    if (body.startsWith("0x")) return sign * parseInt(body.slice(2), 16);
    if (body.length > 1 && body.startsWith("0")) return sign * parseInt(body, 8);
    return sign * Number(body);
  }
  if (Y11_FLOAT.test(text)) {
    const t = text.replace(/_/g, "");
    if (/\.(inf|Inf|INF)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
    if (/nan/i.test(t)) return NaN;
    return Number(t);
  }
  return text;
}
var ANY_TAG = ["scalar", "sequence", "mapping"].flatMap(
  (kind) => ["tag:yaml.org,2002:", "!", ""].map((prefix) => new js_yaml_default.Type(prefix, { kind, multi: true, construct: (data) => data }))
);
var SCHEMA = js_yaml_default.FAILSAFE_SCHEMA.extend(ANY_TAG);
function skipSpace(src, i2, end) {
  while (i2 < end) {
    const c = src.charCodeAt(i2);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 65279) i2++;
    else if (c === 35) {
      while (i2 < end && src.charCodeAt(i2) !== 10 && src.charCodeAt(i2) !== 13) i2++;
    } else break;
  }
  return i2;
}
var NAME_END = /[\s,[\]{}]/;
function readProperties(src, i2, end) {
  const out = { at: i2 };
  for (; ; ) {
    i2 = skipSpace(src, i2, end);
    const c = src[i2];
    if (c !== "!" && c !== "&") break;
    let j = i2 + 1;
    if (c === "!" && src[j] === "<") {
      while (j < end && src[j] !== ">") j++;
      j++;
    } else {
      while (j < end && !NAME_END.test(src[j])) j++;
    }
    if (c === "!") out.tag = src.slice(i2, j);
    else out.anchor = src.slice(i2 + 1, j);
    i2 = j;
  }
  out.at = i2;
  return out;
}
function trimEnd(src, start, end) {
  while (end > start) {
    const c = src.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}
function keyText(key) {
  return key.kind === "scalar" ? key.text : `[${key.kind}]`;
}
function applyMerges(map2) {
  const isMerge = (p) => p.keyText === "<<" && p.key.kind === "scalar" && p.key.plain;
  if (!map2.pairs.some(isMerge)) return;
  const own = map2.pairs.filter((p) => !isMerge(p));
  const seen = new Set(own.map((p) => p.keyText));
  const merged = [];
  for (const p of map2.pairs) {
    if (!isMerge(p)) continue;
    const sources = p.value.kind === "seq" ? p.value.items : [p.value];
    for (const src of sources) {
      if (src.kind !== "map") continue;
      for (const q of src.pairs) {
        if (seen.has(q.keyText)) continue;
        seen.add(q.keyText);
        merged.push(q);
      }
    }
  }
  map2.pairs = [...own, ...merged];
}
var SCAN_PAIRS = 8;
function buildDocs(src, base, limits, problems, firstIndex) {
  const docs = [];
  const stack = [];
  let depth = 0;
  const anchors = /* @__PURE__ */ new Map();
  const maxExpanded = limits.maxExpandedNodes;
  let expanded = 0;
  const aliasLimit = (node) => new YamlBuildError({
    kind: "alias-limit",
    message: `the document expands to more than ${maxExpanded} nodes through aliases (a YAML alias bomb?); it was not analysed`,
    offset: node.start
  });
  const finishMap = (startAt, children) => {
    const map2 = { kind: "map", start: startAt + base, end: startAt + base, pairs: [] };
    if (children === null) return map2;
    const pairs2 = map2.pairs;
    let seen;
    let merges = false;
    for (let i2 = 0; i2 < children.length; i2 += 2) {
      const key = children[i2];
      const value = children[i2 + 1];
      if (value === void 0) {
        if (key.kind === "scalar" && key.value === null && key.text === "") break;
        const k2 = keyText(key);
        if (k2 === "<<") merges = true;
        pairs2.push({ key, keyText: k2, value: { kind: "scalar", start: key.end, end: key.end, text: "", value: null, plain: true } });
        continue;
      }
      const k = keyText(key);
      if (k === "<<") merges = true;
      else {
        let dup = false;
        if (seen !== void 0) dup = seen.has(k);
        else for (let j = 0; j < pairs2.length && !dup; j++) dup = pairs2[j].keyText === k;
        if (dup) {
          problems.push({
            kind: "duplicate-key",
            message: `the key "${k}" appears more than once in this mapping; Kubernetes keeps only the last value`,
            offset: key.start,
            endOffset: key.end
          });
        }
      }
      pairs2.push({ key, keyText: k, value });
      if (seen !== void 0) seen.add(k);
      else if (pairs2.length > SCAN_PAIRS) seen = new Set(pairs2.map((p) => p.keyText));
      if (value.end > map2.end) map2.end = value.end;
      if (key.end > map2.end) map2.end = key.end;
    }
    if (merges) applyMerges(map2);
    return map2;
  };
  const attach = (node, size, result) => {
    if (depth > 0) {
      const up = stack[depth - 1];
      if (up.children === null) {
        up.children = [node];
        up.first = result;
      } else up.children.push(node);
      up.size += size;
    } else docs.push({ index: firstIndex + docs.length, root: node });
  };
  const listener = (event, state) => {
    if (event === "open") {
      if (depth > limits.maxDepth) {
        throw new YamlBuildError({
          kind: "syntax",
          message: `nesting exceeded maxDepth (${limits.maxDepth})`,
          offset: state.position + base
        });
      }
      const f = stack[depth];
      if (f === void 0) stack.push({ open: state.position, children: null, first: void 0, size: 0 });
      else {
        f.open = state.position;
        f.children = null;
        f.first = void 0;
        f.size = 0;
      }
      depth++;
      return;
    }
    const frame = stack[--depth];
    const children = frame.children;
    const nChildren = children === null ? 0 : children.length;
    const close = state.position;
    const result = state.result;
    let at = skipSpace(src, frame.open, close);
    let tag;
    let propAnchor;
    const pc = src.charCodeAt(at);
    if (pc === 33 || pc === 38) {
      const props = readProperties(src, frame.open, close);
      at = props.at;
      tag = props.tag;
      propAnchor = props.anchor;
    }
    const st = state;
    let node;
    let size = 1;
    if (nChildren === 1 && result !== null && frame.first === result) {
      node = children[0];
      size = frame.size;
      expanded -= 1;
    } else if (state.kind === "mapping") {
      node = finishMap(at, children);
      size = 1 + frame.size;
    } else if (state.kind === "sequence") {
      const seq2 = { kind: "seq", start: at + base, end: at + base, items: children ?? [] };
      for (let i2 = 0; i2 < nChildren; i2++) if (children[i2].end > seq2.end) seq2.end = children[i2].end;
      node = seq2;
      size = 1 + frame.size;
    } else if (nChildren === 0 && src.charCodeAt(at) === 42) {
      let j = at + 1;
      while (j < close && !NAME_END.test(src[j])) j++;
      const name = src.slice(at + 1, j);
      const target = anchors.get(name);
      if (!target)
        throw new YamlBuildError({
          kind: "syntax",
          message: 'unknown alias (a plain value starting with "*" is read as an alias: quote it)',
          offset: at + base
        });
      expanded += target.size;
      if (expanded > maxExpanded) throw aliasLimit(target.node);
      attach(target.node, target.size, result);
      return;
    } else {
      const text = typeof result === "string" ? result : "";
      const c = src.charCodeAt(at);
      let start = at;
      let end = trimEnd(src, at, close);
      let plain = true;
      if (c === 34 || c === 39) {
        plain = false;
        start = at + 1;
        end = Math.max(start, end - 1);
      } else if (c === 124 || c === 62) {
        plain = false;
        const nl = src.indexOf("\n", at);
        start = nl < 0 || nl >= close ? end : nl + 1;
      } else if (result === null) {
        end = start;
      }
      const scalar = {
        kind: "scalar",
        start: start + base,
        end: end + base,
        text,
        value: plain ? resolveYaml11(text) : text,
        plain
      };
      if (tag !== void 0) {
        if (/^!!(bool|int|float|null)$/.test(tag)) {
          const r2 = resolveYaml11(text);
          scalar.value = typeof r2 === "string" ? text : r2;
        } else if (!STANDARD_TAG.test(tag)) {
          scalar.tag = tag;
          scalar.value = text;
        } else scalar.value = text === "" && tag === "!!null" ? null : tag === "!!str" ? text : scalar.value;
      }
      node = scalar;
    }
    if (tag !== void 0 && node.kind !== "scalar" && !STANDARD_TAG.test(tag)) node.tag = tag;
    const anchor = propAnchor ?? st.anchor ?? void 0;
    if (anchor) anchors.set(anchor, { node, size });
    expanded += 1;
    if (expanded > maxExpanded) throw aliasLimit(node);
    attach(node, size, result);
  };
  js_yaml_default.loadAll(src, void 0, { schema: SCHEMA, json: true, listener });
  return docs;
}
function reasonWithoutContent(reason) {
  const kind = /^unidentified alias/.test(reason) ? 'unidentified alias (a plain value starting with "*" is read as an alias: quote it)' : /^unknown tag/.test(reason) ? 'unknown tag (a plain value starting with "!" is read as a tag: quote it)' : reason.replace(/"[^"\n]*"?|'[^'\n]*'?/g, "\xAB\u2026\xBB").replace(/!<[^>\n]*>?|![^\s,]*/g, "\xABtag\xBB").replace(/\*[^\s,]+/g, "\xABalias\xBB");
  return kind.slice(0, 200);
}
function syntaxProblem(err, base) {
  if (err instanceof YamlBuildError) return err.problem;
  const e = err;
  const reason = typeof e.reason === "string" && e.reason ? reasonWithoutContent(e.reason) : "invalid YAML";
  const pos = typeof e.mark?.position === "number" ? e.mark.position : 0;
  return { kind: "syntax", message: reason, offset: pos + base };
}
var DOC_MARKER = /^---(?=[ \t\r\n]|$)/gm;
var CHUNKED_ABOVE = 1 << 20;
var PROLOGUE = /^(?:[ \t]*(?:[%#][^\r\n]*)?(?:\r?\n|\r(?!\n)))*$/;
function parseYaml(text, limits = {}) {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let first;
  if (text.length <= CHUNKED_ABOVE) {
    const problems2 = [];
    try {
      return { docs: buildDocs(text, 0, lim, problems2, 0), problems: problems2 };
    } catch (err) {
      first = err;
    }
  }
  const starts = [0];
  for (const m of text.matchAll(DOC_MARKER)) if (m.index > 0) starts.push(m.index);
  if (starts.length > 1 && PROLOGUE.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  if (starts.length === 1 && first !== void 0) return { docs: [], problems: [syntaxProblem(first, 0)] };
  const problems = [];
  const docs = [];
  for (let i2 = 0; i2 < starts.length; i2++) {
    const a = starts[i2];
    const b = i2 + 1 < starts.length ? starts[i2 + 1] : text.length;
    const chunk = text.slice(a, b);
    try {
      for (const d of buildDocs(chunk, a, lim, problems, docs.length)) docs.push(d);
    } catch (e) {
      problems.push(syntaxProblem(e, a));
      docs.push({ index: docs.length, root: null });
    }
  }
  return { docs, problems };
}
function get(node, key) {
  if (!node || node.kind !== "map") return void 0;
  for (let i2 = node.pairs.length - 1; i2 >= 0; i2--) if (node.pairs[i2].keyText === key) return node.pairs[i2].value;
  return void 0;
}
function getPair(node, key) {
  if (!node || node.kind !== "map") return void 0;
  for (let i2 = node.pairs.length - 1; i2 >= 0; i2--) if (node.pairs[i2].keyText === key) return node.pairs[i2];
  return void 0;
}
function asMap(node) {
  return node?.kind === "map" ? node : void 0;
}
function asItems(node) {
  return node?.kind === "seq" ? node.items : [];
}
function asText(node) {
  return node?.kind === "scalar" && node.value !== null ? node.text : void 0;
}
function asBool(node) {
  if (node?.kind !== "scalar") return void 0;
  if (typeof node.value === "boolean") return node.value;
  const t = node.text.toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  return void 0;
}
function asInt(node) {
  if (node?.kind !== "scalar") return void 0;
  if (typeof node.value === "number" && Number.isInteger(node.value)) return node.value;
  if (/^-?\d+$/.test(node.text.trim())) return Number(node.text.trim());
  return void 0;
}
function toJS(node) {
  if (!node) return null;
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(toJS);
  const out = {};
  for (const p of node.pairs) out[p.keyText] = toJS(p.value);
  return out;
}

// src/parse/dockerfile.ts
var import_dockerfile_ast = __toESM(require_main(), 1);
function dfRange(r2) {
  return {
    start: { line: r2.start.line + 1, column: r2.start.character + 1 },
    end: { line: r2.end.line + 1, column: r2.end.character + 1 }
  };
}
var VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
function substitute(text, vars) {
  let unresolved = false;
  const value = text.replace(
    VAR,
    (whole, braced, op, word, plain) => {
      const name = braced ?? plain ?? "";
      const v = vars.get(name);
      const set2 = v !== void 0;
      if (op === ":-") return set2 && v !== "" ? v : word ?? "";
      if (op === "-") return set2 ? v : word ?? "";
      if (op === ":+") return set2 && v !== "" ? word ?? "" : "";
      if (op === "+") return set2 ? word ?? "" : "";
      if (!set2) {
        unresolved = true;
        return whole;
      }
      return v;
    }
  );
  return { value: value.length > MAX_SUBSTITUTED ? value.slice(0, MAX_SUBSTITUTED) : value, unresolved };
}
var MAX_SUBSTITUTED = 4096;
function fromWords(from) {
  return from.getArguments().map((a) => a.getValue());
}
function parseDockerfile(text) {
  const ast = import_dockerfile_ast.DockerfileParser.parse(text);
  const globalArgs = /* @__PURE__ */ new Map();
  for (const arg of ast.getInitialARGs()) {
    const prop = arg.getProperty();
    const name = prop?.getName();
    const value = prop?.getValue() ?? void 0;
    if (name) globalArgs.set(name, value === void 0 ? void 0 : substitute(value, globalArgs).value);
  }
  const stages = [];
  const byAlias = /* @__PURE__ */ new Map();
  let current;
  for (const ins of ast.getInstructions()) {
    if (ins.getKeyword() === "FROM") {
      const from = ins;
      const words = fromWords(from);
      const rawImage = words[0] ?? "";
      const alias = words.length >= 3 && words[1].toLowerCase() === "as" ? words[2].toLowerCase() : void 0;
      const { value, unresolved } = substitute(rawImage, globalArgs);
      const parent = byAlias.get(value.toLowerCase());
      current = { index: stages.length, from, alias, rawImage, image: value, unresolved, parent, instructions: [] };
      stages.push(current);
      if (alias) byAlias.set(alias, current);
    } else if (current) {
      current.instructions.push(ins);
    }
  }
  return { ast, stages, globalArgs };
}
function dockerfileProblems(model) {
  const problems = [];
  for (const d of model.ast.getDirectives()) {
    if (d.getName().toLowerCase() !== "escape") continue;
    const value = d.getValue();
    if (value === "\\" || value === "`") continue;
    problems.push({
      message: `the escape directive must be a backslash or a backtick, not ${JSON.stringify(value)} (BuildKit rejects it)`,
      range: d.getValueRange()
    });
  }
  for (const ins of model.ast.getInstructions()) {
    const withHeredocs = ins;
    if (typeof withHeredocs.getHeredocs !== "function") continue;
    for (const h of withHeredocs.getHeredocs()) {
      if (h.getDelimiterRange() !== null) continue;
      problems.push({
        message: `the here-document <<${h.getName()} is never closed (no line "${h.getName()}" follows), so everything after it is part of the heredoc`,
        range: h.getStartRange()
      });
    }
  }
  return problems;
}
function finalStage(model) {
  return model.stages[model.stages.length - 1];
}

// src/parse/kubernetes.ts
function isK8sObjectNode(node) {
  return asText(get(node, "apiVersion")) !== void 0 && asText(get(node, "kind")) !== void 0;
}
function toObject(node, docIndex) {
  const kind = asText(get(node, "kind")) ?? "";
  const meta = asMap(get(node, "metadata"));
  const name = asText(get(meta, "name")) ?? asText(get(meta, "generateName"));
  return {
    apiVersion: asText(get(node, "apiVersion")) ?? "",
    kind,
    name,
    namespace: asText(get(meta, "namespace")),
    node,
    docIndex,
    label: name ? `${kind}/${name}` : kind
  };
}
function k8sObjects(docs) {
  const out = [];
  for (const doc of docs) {
    const root = asMap(doc.root ?? void 0);
    if (!root || !isK8sObjectNode(root)) continue;
    flatten(root, doc.index, out, 0);
  }
  return out;
}
var MAX_LIST_DEPTH = 8;
function flatten(node, docIndex, out, depth) {
  const kind = asText(get(node, "kind")) ?? "";
  if ((kind === "List" || kind.endsWith("List")) && depth < MAX_LIST_DEPTH) {
    const items = get(node, "items");
    if (items?.kind === "seq") {
      for (const item of asItems(items)) if (item.kind === "map" && isK8sObjectNode(item)) flatten(item, docIndex, out, depth + 1);
      return;
    }
  }
  out.push(toObject(node, docIndex));
}

// src/parse/workloads.ts
var POD_SPEC_PATHS = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"]
};
var WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);
var SHARED_SECURITY_FIELDS = [
  "runAsUser",
  "runAsGroup",
  "runAsNonRoot",
  "seLinuxOptions",
  "seccompProfile",
  "appArmorProfile",
  "windowsOptions"
];
function effective(c, field) {
  const own = getPair(c.securityContext, field);
  if (own) return { node: own.value, pair: own, source: "container" };
  const pod = getPair(c.workload.podSecurityContext, field);
  if (pod) return { node: pod.value, pair: pod, source: "pod" };
  return void 0;
}
function containerField(c, field) {
  return getPair(c.securityContext, field);
}
var KIND_WORD = {
  containers: "container",
  initContainers: "init container",
  ephemeralContainers: "ephemeral container"
};
function podSpecOf(obj) {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return void 0;
  let node = obj.node;
  let meta = asMap(get(obj.node, "metadata"));
  for (let i2 = 0; i2 < path.length; i2++) {
    node = get(node, path[i2]);
    if (path[i2] === "template") meta = asMap(get(node, "metadata"));
  }
  const spec = asMap(node);
  return spec ? { spec, meta } : void 0;
}
function workloadOf(obj) {
  const found = podSpecOf(obj);
  if (!found) return void 0;
  const w = {
    object: obj,
    label: obj.label,
    podSpec: found.spec,
    podMeta: found.meta,
    podSecurityContext: asMap(get(found.spec, "securityContext")),
    containers: []
  };
  for (const kind of ["initContainers", "containers", "ephemeralContainers"]) {
    asItems(get(found.spec, kind)).forEach((item, i2) => {
      if (item.kind !== "map") return;
      const namePair = getPair(item, "name");
      const name = asText(namePair?.value) ?? `#${i2 + 1}`;
      w.containers.push({
        workload: w,
        node: item,
        kind,
        name,
        anchor: namePair ?? item,
        securityContext: asMap(get(item, "securityContext")),
        label: `${obj.label} ${KIND_WORD[kind]} "${name}"`,
        image: get(item, "image")
      });
    });
  }
  return w;
}

// src/parse/index.ts
var COMPOSE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
var SKIP_YAML = /^(kustomization|chart|values([.-][^/]*)?|\.pre-commit-config|\.gitlab-ci|azure-pipelines|mkdocs|\.?codecov|dependabot|renovate|\.golangci|\.travis|\.goreleaser|pnpm-lock|pubspec)\.ya?ml$/i;
function nameKind(relPath) {
  const base = posix.basename(relPath);
  const lower = base.toLowerCase();
  if (lower === "dockerfile" || lower === "containerfile" || lower.startsWith("dockerfile.") || lower.startsWith("containerfile.") || lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")) {
    return "dockerfile";
  }
  if (COMPOSE.test(base)) return "compose";
  if (/(^|\/)\.github\/(workflows|actions)\//.test(relPath) || /(^|\/)action\.ya?ml$/.test(relPath)) {
    return /\.ya?ml$/i.test(base) ? "named-yaml" : void 0;
  }
  if (SKIP_YAML.test(base)) return "named-yaml";
  if (/\.ya?ml$/i.test(base)) return "yaml";
  if (/\.json$/i.test(base) && !/^(package(-lock)?|tsconfig.*|composer|\.eslintrc|jsconfig|\.babelrc)\.json$/i.test(base)) return "json";
  return void 0;
}
var ACI_TYPE = "microsoft.containerinstance/containergroups";
function isAciDoc(doc) {
  const root = asMap(doc.root ?? void 0);
  return asText(get(root, "type"))?.toLowerCase() === ACI_TYPE;
}
function hasTopLevelManifestKeys(text) {
  return /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text);
}
function hasTemplateMarks(text) {
  let at = text.indexOf("{{");
  while (at >= 0) {
    const lineStart = text.lastIndexOf("\n", at - 1) + 1;
    if (!/(^|[ \t])#/.test(text.slice(lineStart, at))) return true;
    at = text.indexOf("{{", at + 2);
  }
  return false;
}
var chartDirs = /* @__PURE__ */ new Map();
function isChartTemplate(absPath) {
  const parts = absPath.split(/[\\/]/);
  for (let i2 = parts.length - 2; i2 > 0; i2--) {
    if (parts[i2] !== "templates") continue;
    const chartDir = parts.slice(0, i2).join("/") || "/";
    let known = chartDirs.get(chartDir);
    if (known === void 0) {
      known = existsSync(`${chartDir}/Chart.yaml`) || existsSync(`${chartDir}/Chart.yml`);
      chartDirs.set(chartDir, known);
    }
    if (known) return true;
  }
  return false;
}
function looksLikeManifest(text) {
  return /^[ \t]*apiVersion[ \t]*:/m.test(text) && /^[ \t]*kind[ \t]*:/m.test(text);
}
function parseFile(source, kindByName) {
  if (kindByName === "dockerfile") {
    const model = parseDockerfile(source.text);
    const offset = (p) => source.lines.lineStart(p.line + 1) + p.character;
    const problems = dockerfileProblems(model).map((p) => ({
      kind: "dockerfile",
      message: p.message,
      offset: offset(p.range.start),
      endOffset: offset(p.range.end)
    }));
    return { kind: "dockerfile", source, model, problems };
  }
  const text = source.text;
  if (kindByName === "named-yaml" && !hasTopLevelManifestKeys(text)) return void 0;
  const parsed = parseYaml(text);
  if (kindByName === "compose") {
    return { kind: "compose", source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  if (hasTemplateMarks(text) && isChartTemplate(source.absPath)) return void 0;
  if (parsed.docs.some(isAciDoc)) {
    return { kind: "aci", source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  const objects = k8sObjects(parsed.docs).filter((o) => !o.apiVersion.startsWith("kustomize.config.k8s.io"));
  if (objects.length === 0 && !(parsed.problems.length > 0 && looksLikeManifest(text))) return void 0;
  const workloads = [];
  for (const o of objects) {
    const w = workloadOf(o);
    if (w) workloads.push(w);
  }
  return { kind: "kubernetes", source, docs: parsed.docs, problems: parsed.problems, objects, workloads };
}

// src/parse/scope.ts
function identityAt(file, pos) {
  if (file.kind === "dockerfile") {
    let label;
    for (const s2 of file.model.stages) {
      if (s2.from.getRange().start.line + 1 > pos.line) break;
      label = s2.alias ? `stage "${s2.alias}"` : `stage ${s2.index}`;
    }
    return label;
  }
  if (file.kind !== "kubernetes") return void 0;
  const offset = file.source.lines.lineStart(pos.line) + pos.column - 1;
  const within = (n) => offset >= n.start && offset < n.end;
  for (const w of file.workloads) {
    if (!within(w.object.node)) continue;
    return w.containers.find((c) => within(c.node))?.label ?? w.label;
  }
  return file.objects.find((o) => within(o.node))?.label;
}

// src/parse/positions.ts
var LineIndex = class {
  /** Offsets at which each line starts. */
  lineStarts;
  length;
  constructor(text) {
    const starts = [0];
    for (let i2 = 0; i2 < text.length; i2++) {
      const c = text.charCodeAt(i2);
      if (c === 10) starts.push(i2 + 1);
      else if (c === 13) {
        if (text.charCodeAt(i2 + 1) === 10) i2++;
        starts.push(i2 + 1);
      }
    }
    this.lineStarts = starts;
    this.length = text.length;
  }
  get lineCount() {
    return this.lineStarts.length;
  }
  /** Position of an offset (clamped into the text). */
  position(offset) {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo] + 1 };
  }
  /** Range from two offsets (end exclusive). */
  range(start, end) {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
  /** Offset where a 1-based line starts. */
  lineStart(line) {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }
  /** Offset of the end of a 1-based line, before its line break. */
  lineEnd(line, text) {
    let end = line < this.lineStarts.length ? this.lineStarts[line] : this.length;
    while (end > this.lineStart(line) && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }
  /** Range covering a whole 1-based line (without its line break). */
  lineRange(line, text) {
    return this.range(this.lineStart(line), this.lineEnd(line, text));
  }
};

// src/parse/source.ts
var UTF8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
var UTF8_STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function decode(buf) {
  if (buf.length >= 2 && buf[0] === 255 && buf[1] === 254) {
    return { ok: true, text: new TextDecoder("utf-16le").decode(buf.subarray(2)), encoding: "utf-16le" };
  }
  if (buf.length >= 2 && buf[0] === 254 && buf[1] === 255) {
    return { ok: true, text: new TextDecoder("utf-16be").decode(buf.subarray(2)), encoding: "utf-16be" };
  }
  const body = buf.length >= 3 && buf[0] === 239 && buf[1] === 187 && buf[2] === 191 ? buf.subarray(3) : buf;
  if (body.includes(0)) return { ok: false, reason: "it contains NUL bytes (a binary file)" };
  try {
    return { ok: true, text: UTF8_STRICT.decode(body), encoding: "utf-8" };
  } catch {
    const text = UTF8.decode(body);
    return { ok: true, text, encoding: "utf-8", invalidAt: Math.max(0, text.indexOf("\uFFFD")) };
  }
}
function sourceFile(absPath, path, text) {
  return { absPath, path, text, lines: new LineIndex(text) };
}
var KIND_LABEL = {
  kubernetes: "Kubernetes manifest",
  dockerfile: "Dockerfile",
  compose: "docker-compose file",
  aci: "Azure Container Instances file"
};
function rangeOf(file, at) {
  if ("start" in at && typeof at.start === "object") return at;
  if ("key" in at) {
    const key = widened(file, at.key);
    const value = widened(file, at.value);
    return file.lines.range(key.s, Math.max(value.e, key.e));
  }
  const node = widened(file, at);
  return file.lines.range(node.s, node.e);
}
function widened(file, node) {
  const ch = file.text[node.start - 1];
  if (node.kind === "scalar" && (ch === '"' || ch === "'") && file.text[node.end] === ch) return { s: node.start - 1, e: node.end + 1 };
  return { s: node.start, e: node.end };
}
var detachedFiles = /* @__PURE__ */ new WeakMap();
function detached(file) {
  let d = detachedFiles.get(file);
  if (!d) {
    d = sourceFile(file.absPath, file.path, "");
    detachedFiles.set(file, d);
  }
  return d;
}

// src/report/redact.ts
var MASK = "***";
var NOT_CREDENTIALS = /* @__PURE__ */ new Set([
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "null",
  "none",
  "nil",
  "undefined",
  "empty",
  "default",
  "secret",
  "password",
  "changeme",
  "changeit",
  "example",
  "placeholder",
  "redacted",
  "replace_me",
  "replaceme",
  "your-password",
  "your_password"
]);
function isCredentialLike(value) {
  const v = value.trim();
  if (v.length < 8) return false;
  if (NOT_CREDENTIALS.has(v.toLowerCase())) return false;
  if (/^[-+]?[0-9][0-9_.,:]*$/.test(v)) return false;
  if (/^(?:<[^<>]*>|\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|%[^%]+%|(.)\1+)$/s.test(v)) return false;
  if (/^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/.test(v) && v.split(/[-_. ]/).every((w) => /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(w))) return false;
  return true;
}
var Matcher = class {
  next = [/* @__PURE__ */ new Map()];
  fail = [0];
  /** Length of the longest value that ends at this state (0: none). */
  longest = [0];
  constructor(values, stats) {
    for (const v of values) {
      let s2 = 0;
      for (let i2 = 0; i2 < v.length; i2++) {
        const c = v.charCodeAt(i2);
        let t = this.next[s2].get(c);
        if (t === void 0) {
          t = this.next.length;
          this.next.push(/* @__PURE__ */ new Map());
          this.fail.push(0);
          this.longest.push(0);
          this.next[s2].set(c, t);
        }
        s2 = t;
      }
      this.longest[s2] = Math.max(this.longest[s2], v.length);
    }
    stats.statesBuilt += this.next.length;
    const queue = [...this.next[0].values()];
    for (let qi = 0; qi < queue.length; qi++) {
      const s2 = queue[qi];
      for (const [c, t] of this.next[s2]) {
        let f = this.fail[s2];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const g = this.next[f].get(c);
        this.fail[t] = g !== void 0 && g !== t ? g : 0;
        this.longest[t] = Math.max(this.longest[t], this.longest[this.fail[t]]);
        queue.push(t);
      }
    }
  }
  /** Character ranges [start, end) covered by some value, merged where they overlap. */
  ranges(text, stats) {
    const out = [];
    let s2 = 0;
    for (let i2 = 0; i2 < text.length; i2++) {
      const c = text.charCodeAt(i2);
      let t = this.next[s2].get(c);
      while (t === void 0 && s2 !== 0) {
        s2 = this.fail[s2];
        stats.steps++;
        t = this.next[s2].get(c);
      }
      s2 = t ?? 0;
      stats.steps++;
      const len = this.longest[s2];
      if (len === 0) continue;
      const start = i2 + 1 - len;
      const last = out[out.length - 1];
      if (last && start < last[1]) {
        last[0] = Math.min(last[0], start);
        last[1] = i2 + 1;
      } else out.push([start, i2 + 1]);
    }
    return out;
  }
};
function maskValues(text, values) {
  let out = text;
  for (const v of [...values].filter((x) => !!x && x.length > 0).sort((a, b) => b.length - a.length)) {
    if (out.includes(v)) out = out.split(v).join(MASK);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return out;
}
var Redactor = class {
  values = [];
  known = /* @__PURE__ */ new Set();
  matcher;
  /** Work counters (builds, states, steps). */
  stats = { builds: 0, statesBuilt: 0, steps: 0 };
  constructor(secrets = []) {
    for (const s2 of secrets) this.add(s2);
  }
  push(value) {
    if (this.known.has(value)) return;
    this.known.add(value);
    this.values.push(value);
    this.matcher = void 0;
  }
  /** Registers a secret value when it is credential-like; anything else is left to its own report. */
  add(secret) {
    if (this.known.has(secret) || !isCredentialLike(secret)) return;
    this.push(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.push(escaped);
    for (const line of secret.split(/\r?\n/)) if (line !== secret && line.trim().length >= 8) this.push(line);
  }
  /** The registered secrets. */
  get secrets() {
    return this.values;
  }
  /** Text with every registered secret replaced by a mask. */
  redact(text) {
    if (this.values.length === 0 || text.length === 0) return text;
    if (!this.matcher) {
      this.matcher = new Matcher(this.values, this.stats);
      this.stats.builds++;
    }
    const ranges = this.matcher.ranges(text, this.stats);
    if (ranges.length === 0) return text;
    const parts = [];
    let at = 0;
    for (const [start, end] of ranges) {
      parts.push(text.slice(at, start), MASK);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join("");
  }
};
function describeSecret(value) {
  const prefixLen = value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  const prefix = prefixLen ? `${value.slice(0, prefixLen)}\u2026` : "";
  return `${prefix}${prefix ? ", " : ""}${value.length} chars`;
}
function safeErrorText(err, max = 300) {
  const raw = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2e3);
  return raw.replace(/"(?:[^"\\\n]|\\.){0,2000}"|'(?:[^'\\\n]|\\.){0,2000}'|`[^`\n]{0,2000}`/g, "\xAB\u2026\xBB").replace(/["'`][^\n]*/g, "\xAB\u2026").replace(
    /[A-Za-z0-9+/=_~.:@-]{8,}/g,
    (run) => /[0-9+/=_~@]/.test(run.replace(/^[a-z]+:\/\//i, "")) || run.length >= 20 && /[a-z]/.test(run) && /[A-Z]/.test(run) ? "\u2026" : run
  ).slice(0, max);
}

// src/report/safe-text.ts
var UNSAFE_IN_DATA = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
var UNSAFE_IN_LINE = /(?!\n|\t|(?<![#oO])\u001b\[[0-9;]*m)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
var HASH_COMMAND = /#(?=#(?:vso)?\[)/gi;
var COLON_COMMAND = /^([\s\u0085]*):(?=:)/u;
function escapeChar(ch) {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "	") return "\\t";
  const cp = ch.codePointAt(0);
  return cp > 65535 ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}
function defuseLine(line) {
  return line.replace(HASH_COMMAND, "#\\").replace(COLON_COMMAND, "$1:\\");
}
var MAX_ECHO = 200;
function capText(text, max = MAX_ECHO) {
  if (text.length <= max) return text;
  let end = max;
  const code2 = text.charCodeAt(end - 1);
  if (code2 >= 55296 && code2 <= 56319) end--;
  return `${text.slice(0, end)}\u2026 (${text.length} characters)`;
}
function safeData(value, max = MAX_ECHO) {
  return defuseLine(capText(value, max).replace(UNSAFE_IN_DATA, escapeChar));
}
function safePath(path) {
  return safeData(path, Number.MAX_SAFE_INTEGER);
}
function safeMessageData(data, max = MAX_ECHO) {
  const out = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = typeof v === "string" ? safeData(v, max) : v;
  return out;
}
function safeLines(text) {
  const escaped = text.replace(/\r\n/g, "\n").replace(UNSAFE_IN_LINE, escapeChar);
  return escaped.split("\n").map(defuseLine).join("\n");
}
function safeJsonLines(json2) {
  const hex = (unit) => `\\u${unit.toString(16).padStart(4, "0")}`;
  return json2.replace(UNSAFE_IN_LINE, (ch) => [...Array(ch.length).keys()].map((k) => hex(ch.charCodeAt(k))).join("")).replace(/##(?=(?:vso)?\[)/gi, "#\\u0023");
}

// src/rules/api.ts
var compiled = /* @__PURE__ */ new Map();
function formatMessage(template, data = {}) {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  if (parts.length === 1) return template;
  const out = parts.slice();
  for (let i2 = 1; i2 < out.length; i2 += 2) {
    const key = out[i2];
    out[i2] = key in data ? String(data[key]) : `{${key}}`;
  }
  return out.join("");
}

// src/suppress/directives.ts
var ANNOTATION = "podguard.dev/ignore";
var COMMENT = /(^|[ \t])#[ \t]*podguard-ignore(-file)?(?=[ \t]|$)([^\r\n]*)/;
var RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function detach(s2) {
  return Buffer.from(s2, "utf8").toString("utf8");
}
function isDate(s2) {
  const m = DATE.exec(s2);
  if (!m) return false;
  const d = /* @__PURE__ */ new Date(`${s2}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s2;
}
function parseDirectiveBody(body) {
  const sep2 = body.search(/(^|\s)--(\s|$)/);
  const head2 = sep2 < 0 ? body : body.slice(0, sep2);
  const reason = sep2 < 0 ? "" : body.slice(sep2).replace(/^\s*--/, "").trim();
  const ruleIds = [];
  const problems = [];
  let until;
  for (const token of head2.split(/[\s,]+/).filter(Boolean)) {
    if (token.startsWith("until=")) {
      const value = token.slice("until=".length);
      if (isDate(value)) until = value;
      else problems.push({ messageId: "badDate", data: { value: detach(value) } });
    } else if (RULE_ID.test(token)) {
      if (!ruleIds.includes(token)) ruleIds.push(token);
    } else problems.push({ messageId: "badToken", data: { token: detach(token) } });
  }
  if (ruleIds.length === 0 && !problems.some((p) => p.messageId === "badToken")) problems.push({ messageId: "noRules", data: {} });
  return { ruleIds: ruleIds.map(detach), reason: detach(reason), ...until ? { until: detach(until) } : {}, problems };
}
function scalarSpans(node, out) {
  if (!node) return;
  if (node.kind === "scalar") out.push([node.start, node.end]);
  else if (node.kind === "seq") for (const i2 of node.items) scalarSpans(i2, out);
  else
    for (const p of node.pairs) {
      scalarSpans(p.key, out);
      scalarSpans(p.value, out);
    }
}
function isCommentLine(line) {
  return /^[ \t]*#/.test(line);
}
function instructionEnd(lines, line, escape3) {
  let i2 = line - 1;
  while (i2 < lines.length - 1) {
    const cur = lines[i2];
    if (!isCommentLine(cur) && !cur.trimEnd().endsWith(escape3)) break;
    i2++;
  }
  return i2 + 1;
}
function commentDirectives(file, out) {
  const source = file.source;
  const lines = source.text.split(/\r\n|\r|\n/);
  const dockerfile = file.kind === "dockerfile";
  let spans;
  const escape3 = dockerfile ? /^#[ \t]*escape[ \t]*=[ \t]*(\S)/im.exec(source.text)?.[1] ?? "\\" : "\\";
  for (let i2 = 0; i2 < lines.length; i2++) {
    const text = lines[i2];
    if (!text.includes("podguard-ignore")) continue;
    const m = COMMENT.exec(text);
    if (!m) continue;
    const hashCol = m.index + m[1].length;
    const ownLine = text.slice(0, hashCol).trim() === "";
    const lineNo = i2 + 1;
    if (!dockerfile) {
      spans ??= (() => {
        const acc = [];
        for (const d of file.docs) scalarSpans(d.root, acc);
        return acc;
      })();
      const offset = source.lines.lineStart(lineNo) + hashCol;
      if (spans.some(([a, b]) => offset >= a && offset < b)) continue;
    }
    const range = { start: { line: lineNo, column: hashCol + 1 }, end: { line: lineNo, column: text.length + 1 } };
    const body = parseDirectiveBody(m[3]);
    const fileWide = m[2] === "-file";
    let scope;
    if (fileWide) scope = { kind: "file" };
    else if (!ownLine) {
      if (dockerfile) {
        out.push({
          form: "comment",
          ...body,
          problems: [{ messageId: "trailingDockerfile", data: {} }],
          range,
          scope: { kind: "lines", from: lineNo, to: lineNo },
          text: m[0].trim()
        });
        continue;
      }
      scope = { kind: "lines", from: lineNo, to: lineNo };
    } else {
      let target = lineNo + 1;
      while (target <= lines.length && isCommentLine(lines[target - 1])) target++;
      scope = { kind: "lines", from: target, to: dockerfile ? instructionEnd(lines, target, escape3) : target };
    }
    out.push({ form: fileWide ? "file comment" : "comment", ...body, range, scope, text: detach(m[0].trim()) });
  }
}
function nodeRange(source, node) {
  return source.lines.range(node.start, node.end);
}
function union(a, b) {
  const before = (x, y) => x.line < y.line || x.line === y.line && x.column < y.column;
  return { start: before(a.start, b.start) ? a.start : b.start, end: before(a.end, b.end) ? b.end : a.end };
}
function annotationDirectives(file, out) {
  const source = file.source;
  for (const obj of file.objects) {
    const workload = file.workloads.find((w) => w.object === obj);
    const objMeta = asMap(get(obj.node, "metadata"));
    const metas = [{ meta: objMeta, range: nodeRange(source, obj.node) }];
    if (workload?.podMeta && workload.podMeta !== objMeta) {
      metas.push({ meta: workload.podMeta, range: union(nodeRange(source, workload.podMeta), nodeRange(source, workload.podSpec)) });
    }
    for (const { meta, range: region } of metas) {
      const annotations = asMap(get(meta, "annotations"));
      for (const pair of annotations?.pairs ?? []) {
        const key = pair.keyText;
        if (key !== ANNOTATION && !key.startsWith(`${ANNOTATION}.`)) continue;
        const range = source.lines.range(pair.key.start, Math.max(pair.key.end, pair.value.end));
        const body = parseDirectiveBody(asText(pair.value) ?? "");
        const text = detach(`${key}: ${asText(pair.value) ?? ""}`);
        if (key === ANNOTATION) {
          out.push({ form: "annotation", ...body, range, scope: { kind: "region", range: region }, text });
          continue;
        }
        const name = key.slice(ANNOTATION.length + 1);
        const containers = (workload?.containers ?? []).filter((c) => c.name === name).map((c) => ({ range: nodeRange(source, c.node), label: detach(c.label) }));
        if (containers.length === 0)
          body.problems.push({ messageId: "unknownContainer", data: { container: detach(name), object: obj.label } });
        out.push({ form: "annotation", ...body, range, scope: { kind: "region", range: region, containers }, text });
      }
    }
  }
}
function readDirectives(file) {
  const text = file.source.text;
  const out = [];
  if (text.includes("podguard-ignore")) commentDirectives(file, out);
  if (file.kind === "kubernetes" && text.includes(ANNOTATION)) annotationDirectives(file, out);
  return out;
}

// src/batch.ts
var FINGERPRINT_SALT = "podguard-fp-v1";
var SECRET_SALT = "podguard-secret-fp-v1";
var TEXT_SCAN_RULE = "secret-token";
var SYSTEM_ECHO = 600;
function indentHint(text, offset) {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*securityContext[ \t]*:/.test(text.slice(lineStart, lineStart + 100)) ? " (a container securityContext must line up with that container's name: and image: keys; a pod-level one with containers:)" : "";
}
function hash(parts) {
  return cryptoHash("sha256", `${FINGERPRINT_SALT}\0${parts.join("\0")}`, "hex").slice(0, 32).toUpperCase().toLowerCase();
}
function secretDigest(secret) {
  return scryptSync(secret, SECRET_SALT, 16, { N: 1024, r: 8, p: 1 }).toString("hex");
}
function documentViews(file) {
  if (file.docs.length <= 1) return [file];
  const objects = /* @__PURE__ */ new Map();
  const workloads = /* @__PURE__ */ new Map();
  for (const o of file.objects) push(objects, o.docIndex, o);
  for (const w of file.workloads) push(workloads, w.object.docIndex, w);
  return file.docs.map((doc) => ({
    ...file,
    docs: [doc],
    objects: objects.get(doc.index) ?? [],
    workloads: workloads.get(doc.index) ?? []
  }));
}
function push(map2, key, value) {
  const list = map2.get(key);
  if (list) list.push(value);
  else map2.set(key, [value]);
}
var Collector = class {
  findings = [];
  redactor = new Redactor();
  /**
   * Fingerprints seen in the current file (they include the file's path, so they cannot collide
   * across files); cleared per file so memory does not grow with the repository.
   */
  fpCounts = /* @__PURE__ */ new Map();
  /**
   * The current file's identities and ranges, so findings about the same container share one
   * string and one range object: a large scan holds hundreds of thousands of findings, and
   * measured on 10,000 manifests this halved the memory each one takes (755 to ~400 bytes).
   */
  identities = /* @__PURE__ */ new Map();
  ranges = /* @__PURE__ */ new Map();
  file;
  // Per scan, so no secret outlives the scan in a module-level cache.
  digests = /* @__PURE__ */ new Map();
  digest(secret) {
    let d = this.digests.get(secret);
    if (d === void 0) this.digests.set(secret, d = secretDigest(secret));
    return d;
  }
  /** Forgets the current file's fingerprints and shared values (called between files). */
  endFile() {
    this.fpCounts = /* @__PURE__ */ new Map();
    this.identities = /* @__PURE__ */ new Map();
    this.ranges = /* @__PURE__ */ new Map();
    this.file = void 0;
  }
  intern(identity) {
    const known = this.identities.get(identity);
    if (known !== void 0) return known;
    const flat = identity.length > 0 ? Buffer.from(identity, "utf8").toString("utf8") : "";
    this.identities.set(flat, flat);
    return flat;
  }
  shared(range) {
    const { start, end } = range;
    const key = `${start.line}:${start.column}:${end.line}:${end.column}`;
    let r2 = this.ranges.get(key);
    if (!r2) {
      r2 = Object.freeze({
        start: Object.freeze({ line: start.line, column: start.column }),
        end: Object.freeze({ line: end.line, column: end.column })
      });
      this.ranges.set(key, r2);
    }
    return r2;
  }
  /**
   * Takes findings made elsewhere (another thread's batch), sharing identities and ranges per file
   * again: structured cloning gives every finding its own copies.
   */
  adopt(findings) {
    for (const f of findings) {
      if (f.file !== this.file) {
        this.endFile();
        this.file = f.file;
      }
      f.identity = this.intern(f.identity);
      f.range = this.shared(f.range);
      this.findings.push(f);
    }
    this.endFile();
  }
  add(rule41, level, file, r2) {
    if (r2.secret) this.redactor.add(r2.secret);
    for (const form of r2.secretForms ?? []) this.redactor.add(form);
    const configured = r2.level && level === rule41.meta.level ? r2.level : level;
    const identity = this.intern(r2.identity ?? "");
    const value = r2.secret ? `secret:${this.digest(r2.secret)}` : r2.value ?? "";
    let fp = hash([rule41.meta.id, file.path, identity, r2.messageId, value]);
    const n = this.fpCounts.get(fp) ?? 0;
    this.fpCounts.set(fp, n + 1);
    if (n > 0) fp = hash([fp, String(n)]);
    const template = rule41.meta.messages[r2.messageId];
    if (template === void 0) throw new Error(`rule ${rule41.meta.id} reported unknown message id "${r2.messageId}"`);
    this.findings.push({
      ruleId: rule41.meta.id,
      messageId: r2.messageId,
      level: configured,
      // Data from the file is made one safe line (no log command, capped); the report's own secret
      // is masked here, where it is, whatever it looks like; the scan-wide redactor runs at output.
      message: maskValues(formatMessage(template, safeMessageData(r2.data, rule41.meta.system ? SYSTEM_ECHO : void 0)), [
        r2.secret,
        ...r2.secretForms ?? []
      ]),
      file: file.path,
      range: this.shared(rangeOf(file, r2.at)),
      identity,
      fingerprint: fp,
      ...r2.properties ? { properties: r2.properties } : {}
    });
  }
};
function readCandidate(absPath, maxBytes) {
  let fd;
  try {
    fd = openSync2(absPath, constants2.O_RDONLY | (constants2.O_NONBLOCK ?? 0));
    const st = fstatSync2(fd);
    if (!st.isFile()) return { error: "it is not a regular file" };
    if (st.size > maxBytes) return { error: `it is ${st.size} bytes, over the maxFileBytes limit of ${maxBytes}` };
    return { buf: readFileSync(fd) };
  } catch (err) {
    return { error: `it could not be read (${err.code ?? "error"})` };
  } finally {
    if (fd !== void 0) closeSync2(fd);
  }
}
var FileChecker = class {
  constructor(settings, active, system) {
    this.settings = settings;
    this.active = active;
    this.system = system;
  }
  settings;
  active;
  system;
  templates = [];
  /**
   * The token scan over the text of a candidate that is not checked as a manifest (a chart
   * template, a values file, a broken document): a secret leaks whatever the file's shape.
   */
  scanText(source, out) {
    const unit = { kind: "kubernetes", source, docs: [], problems: [], objects: [], workloads: [] };
    for (const { rule: rule41, level, ctx } of this.active) {
      if (rule41.meta.id !== TEXT_SCAN_RULE) continue;
      try {
        ctx.report = (r2) => out.add(rule41, level, r2.file ?? source, { ...r2, identity: r2.identity ?? "" });
        rule41.check(unit, ctx);
      } catch (err) {
        this.system(out, "internal-error", source, source.lines.range(0, 0), "rule", { rule: rule41.meta.id, error: safeErrorText(err) });
      }
    }
  }
  /**
   * Checks `files` in order. Cross-file rules start from an empty state, returned in the result,
   * so batches checked on different threads merge into what one thread would have built.
   */
  run(files) {
    const out = new Collector();
    const directives = [];
    const filesScanned = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
    this.templates = [];
    const crossFile = this.active.filter((a) => a.rule.finish);
    for (const a of crossFile) a.ctx.state = /* @__PURE__ */ new Map();
    for (const c of files) {
      out.endFile();
      this.checkFile(c, out, directives, filesScanned);
    }
    out.endFile();
    return {
      findings: out.findings,
      secrets: [...out.redactor.secrets],
      directives,
      filesScanned,
      states: crossFile.map((a) => [a.rule.meta.id, a.ctx.state]),
      templates: this.templates
    };
  }
  checkFile(c, out, directives, filesScanned) {
    const system = (id, file, at, messageId, data) => this.system(out, id, file, at, messageId, data);
    const { buf, error } = readCandidate(c.absPath, this.settings.maxFileBytes);
    if (!buf) {
      const f = sourceFile(c.absPath, c.relPath, "");
      system("file-error", f, f.lines.range(0, 0), "skipped", { reason: error ?? "it could not be read" });
      return;
    }
    const decoded = decode(buf);
    if (!decoded.ok) {
      const f = sourceFile(c.absPath, c.relPath, "");
      system("file-error", f, f.lines.range(0, 0), "skipped", { reason: decoded.reason });
      return;
    }
    const source = sourceFile(c.absPath, c.relPath, decoded.text);
    let parsed;
    try {
      parsed = parseFile(source, c.nameKind);
    } catch (err) {
      system("internal-error", source, source.lines.range(0, 0), "parser", { error: safeErrorText(err) });
      return;
    }
    if (!parsed) {
      if (c.nameKind !== "dockerfile" && hasTemplateMarks(source.text) && isChartTemplate(source.absPath)) this.templates.push(source.path);
      this.scanText(source, out);
      return;
    }
    filesScanned[parsed.kind]++;
    try {
      const found = readDirectives(parsed);
      if (found.length) directives.push([source.path, found]);
    } catch (err) {
      system("internal-error", source, source.lines.range(0, 0), "rule", { rule: "suppression reading", error: safeErrorText(err) });
    }
    if (decoded.invalidAt !== void 0) {
      const pos = source.lines.position(decoded.invalidAt);
      system("file-error", source, source.lines.lineRange(pos.line, source.text), "encoding", { line: pos.line });
    }
    for (const p of parsed.problems) {
      const at = source.lines.range(p.offset, p.endOffset ?? p.offset);
      if (p.kind === "duplicate-key") system("duplicate-key", source, at, "duplicate", { message: p.message });
      else if (p.kind === "dockerfile") system("parse-error", source, at, "dockerfile", { message: p.message });
      else system("parse-error", source, at, "syntax", { message: p.message + indentHint(source.text, p.offset) });
    }
    const units = parsed.kind === "dockerfile" ? [parsed] : documentViews(parsed);
    const broken = parsed.kind !== "dockerfile" && parsed.problems.some((p) => p.kind === "syntax") && parsed.docs.length > 1;
    for (const { rule: rule41, level, ctx } of this.active) {
      if (!rule41.meta.kinds.includes(parsed.kind)) continue;
      const ruleUnits = broken && rule41.meta.id === TEXT_SCAN_RULE && parsed.kind !== "dockerfile" ? [{ ...parsed, docs: [] }] : units;
      for (const unit of ruleUnits) {
        const report = (r2) => {
          const own = !r2.file || r2.file === source;
          const identity = r2.identity ?? (own ? identityAt(unit, rangeOf(source, r2.at).start) : void 0);
          out.add(rule41, level, r2.file ?? source, identity === r2.identity ? r2 : { ...r2, identity });
        };
        try {
          ctx.report = report;
          rule41.check(unit, ctx);
        } catch (err) {
          const doc = unit.kind === "dockerfile" ? void 0 : unit.docs[0];
          const start = doc?.root?.start ?? 0;
          system("internal-error", source, source.lines.range(start, start), "rule", { rule: rule41.meta.id, error: safeErrorText(err) });
        }
      }
    }
  }
};
function mergeState(into, from, path = "state") {
  if (Array.isArray(into) && Array.isArray(from)) {
    for (const x of from) into.push(x);
    return into;
  }
  if (types2.isSet(into) && types2.isSet(from)) {
    for (const x of from) into.add(x);
    return into;
  }
  if (types2.isMap(into) && types2.isMap(from)) {
    const m = into;
    for (const [k, v] of from) m.set(k, m.has(k) ? mergeState(m.get(k), v, `${path}.${String(k)}`) : v);
    return into;
  }
  if (isPlainObject(into) && isPlainObject(from)) {
    for (const [k, v] of Object.entries(from)) into[k] = k in into ? mergeState(into[k], v, `${path}.${k}`) : v;
    return into;
  }
  if (Object.is(into, from)) return into;
  throw new Error(`cannot merge cross-file rule state at ${path}: only arrays, Sets, Maps and plain objects merge`);
}
function isPlainObject(x) {
  if (typeof x !== "object" || x === null || Object.prototype.toString.call(x) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// src/collect/collect.ts
var import_picomatch = __toESM(require_picomatch2(), 1);
import { lstatSync, readdirSync, realpathSync as realpathSync2, statSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { isAbsolute as isAbsolute2, join, posix as posix2, relative as relative2, resolve as resolve3, sep } from "node:path";

// src/collect/git.ts
import { execFile } from "node:child_process";
import { resolve as resolve2 } from "node:path";
function git(args, cwd, maxBuffer = 512 * 1024 * 1024, opts = {}) {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  return new Promise((resolvePromise, reject) => {
    const options = { cwd, maxBuffer, encoding: "utf8", windowsHide: true, env, timeout: opts.timeoutMs ?? 0 };
    execFile("git", [...args], options, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(
            `git ${args[0] ?? ""} failed: ${String(stderr || err.message).trim().split("\n")[0]}`
          )
        );
      else resolvePromise(stdout);
    });
  });
}
async function gitTopLevel(dir) {
  try {
    return (await git(["rev-parse", "--show-toplevel"], dir)).trim() || void 0;
  } catch {
    return void 0;
  }
}
function splitZ(out) {
  return out.split("\0").filter((s2) => s2.length > 0);
}
function parseNameStatus(out) {
  const parts = splitZ(out);
  const files = [];
  for (let i2 = 0; i2 < parts.length; ) {
    const status = parts[i2++];
    if (status.startsWith("R") || status.startsWith("C")) {
      i2++;
      files.push({ status: status[0], path: parts[i2++] });
    } else {
      const path = parts[i2++];
      if (!status.startsWith("D")) files.push({ status: status[0], path });
    }
  }
  return files;
}
async function changedSince(ref, cwd) {
  if (ref.startsWith("-")) throw new Error(`invalid git reference: ${ref}`);
  const top = await gitTopLevel(cwd);
  if (!top) throw new Error("--changed-since needs a git repository");
  await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top).catch(() => {
    throw new Error(`unknown git reference: ${ref}`);
  });
  const diff = await git(["diff", "--name-status", "-z", "--no-renames", ref, "--"], top);
  const untracked = await git(["ls-files", "-z", "--others", "--exclude-standard"], top);
  const set2 = /* @__PURE__ */ new Set([...parseNameStatus(diff).map((f) => f.path), ...splitZ(untracked)]);
  return [...set2].sort().map((p) => resolve2(top, p));
}

// src/collect/collect.ts
var SKIP_DIRS = /* @__PURE__ */ new Set([".git", "node_modules"]);
function toRel(root, abs) {
  return relative2(root, abs).split(sep).join("/");
}
function inside(root, abs) {
  const r2 = relative2(root, abs);
  return r2 === "" || !r2.startsWith("..") && !isAbsolute2(r2);
}
function mayBeOurs(baseName) {
  return nameKind(baseName) !== void 0;
}
function walk(dir, out, seen) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      const real2 = realpathQuiet(abs) ?? abs;
      if (seen.has(real2)) continue;
      seen.add(real2);
      walk(abs, out, seen);
    } else if ((e.isFile() || e.isSymbolicLink()) && mayBeOurs(e.name)) {
      out.push(abs);
    }
  }
}
async function listDir(dir) {
  const top = await gitTopLevel(dir);
  if (top) {
    const out = await git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."], dir);
    return splitZ(out).filter((p) => mayBeOurs(posix2.basename(p))).map((p) => join(dir, p));
  }
  const files = [];
  walk(dir, files, /* @__PURE__ */ new Set([realpathQuiet(dir) ?? dir]));
  return files;
}
var lstatQuiet = (p) => lstatSync(p, { throwIfNoEntry: false });
var statQuiet = (p) => {
  try {
    return statSync(p);
  } catch {
    return void 0;
  }
};
var realpathQuiet = (p) => {
  try {
    return realpathSync2.native(p);
  } catch {
    return void 0;
  }
};
async function collect(opts) {
  const root = resolve3(opts.root);
  const realRoot = await realpath(root).catch(() => root);
  const excluded = opts.exclude.length ? (0, import_picomatch.default)([...opts.exclude], { dot: true }) : () => false;
  const issues = [];
  const files = /* @__PURE__ */ new Set();
  const scopes = opts.paths.map((p) => resolve3(root, p));
  if (opts.only) {
    for (const rel of opts.only) {
      const abs = resolve3(root, rel);
      if (scopes.some((s2) => inside(s2, abs))) files.add(abs);
    }
  } else {
    for (const scope of scopes) {
      const st = await stat(scope).catch(() => void 0);
      if (!st) throw new ConfigurationError(`path not found: ${toRel(root, scope) || scope}`);
      if (st.isDirectory()) for (const f of await listDir(scope)) files.add(f);
      else files.add(scope);
    }
  }
  const candidates = [];
  const seenReal = /* @__PURE__ */ new Set();
  for (const abs of [...files].sort()) {
    const relPath = toRel(root, abs);
    if (relPath.split("/").some((s2) => SKIP_DIRS.has(s2))) continue;
    if (excluded(relPath)) continue;
    const kind = nameKind(relPath);
    if (!kind) continue;
    const st = lstatQuiet(abs);
    if (!st) continue;
    let real2 = abs;
    if (st.isSymbolicLink()) {
      const target = realpathQuiet(abs);
      if (!target) {
        issues.push({ relPath, reason: "it is a symbolic link whose target does not exist (or a link loop)" });
        continue;
      }
      if (!inside(realRoot, target)) {
        issues.push({ relPath, reason: "it is a symbolic link to a file outside the scanned root, which podguard never follows" });
        continue;
      }
      const tst = statQuiet(target);
      if (!tst?.isFile()) continue;
      real2 = target;
    } else if (!st.isFile()) {
      continue;
    }
    if (seenReal.has(real2)) continue;
    seenReal.add(real2);
    candidates.push({ absPath: real2, relPath, nameKind: kind });
  }
  return { candidates, issues };
}

// src/config/load.ts
var import_ajv = __toESM(require_ajv(), 1);
import { lstatSync as lstatSync2 } from "node:fs";
import { isAbsolute as isAbsolute3, join as join2, relative as relative3, resolve as resolve4 } from "node:path";

// src/config/schema.ts
var LEVEL = { enum: ["off", "note", "warning", "error"] };
function configSchema(rules) {
  const ruleProps = {};
  for (const r2 of rules) {
    const options = r2.meta.optionsSchema ?? { type: "object", properties: {}, additionalProperties: false };
    const optionProps = options.properties ?? {};
    ruleProps[r2.meta.id] = {
      description: `${r2.meta.title}. Default level: ${r2.meta.level}.`,
      default: r2.meta.level,
      anyOf: [
        LEVEL,
        {
          type: "object",
          properties: { level: LEVEL, ...optionProps },
          additionalProperties: false
        }
      ]
    };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/podguard/podguard/schema/podguard.schema.json",
    title: "podguard configuration (.podguard.yml)",
    type: "object",
    additionalProperties: false,
    properties: {
      profile: {
        description: "Pod Security Standards level: restricted (default) runs every rule; baseline turns off the rules of the restricted level unless configured.",
        default: "restricted",
        enum: ["baseline", "restricted"]
      },
      rules: {
        description: "Per rule: a level (off, note, warning, error) or an object with level and options.",
        type: "object",
        additionalProperties: false,
        properties: ruleProps
      },
      allowedImages: {
        description: "Glob patterns over normalised image names without tag, e.g. mcr.microsoft.com/**.",
        type: "array",
        items: { type: "string", minLength: 1 }
      },
      deniedImages: {
        description: "Glob patterns of banned images, checked before allowedImages.",
        type: "array",
        items: { type: "string", minLength: 1 }
      },
      requireDigest: { description: "Require @sha256: digests on every image reference.", type: "boolean", default: false },
      exclude: {
        description: "Path globs (relative to the scanned root) never scanned.",
        type: "array",
        items: { type: "string", minLength: 1 }
      },
      baseline: { description: "Baseline file of known findings (relative to the scanned root).", type: "string", minLength: 1 },
      maxFileBytes: { description: "Files larger than this are skipped with a finding.", type: "integer", minimum: 1024 },
      kubernetesVersion: {
        description: "Target Kubernetes version (major.minor), for removed-API checks.",
        type: "string",
        pattern: "^1\\.\\d+$"
      }
    }
  };
}

// src/config/settings.ts
var DEFAULT_KUBERNETES_VERSION = "1.34";
function defaultSettings() {
  return {
    rules: {},
    allowedImages: [],
    deniedImages: [],
    requireDigest: false,
    exclude: [],
    baseline: void 0,
    profile: "restricted",
    maxFileBytes: 5 * 1024 * 1024,
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    configFile: void 0
  };
}

// src/config/patterns.ts
var ALLOWED_CHARS = /^[a-z0-9._\-/:*]+$/;
var HOST_WITH_PORT = /^[a-z0-9.*-]+(?::(?:[0-9]+|\*))?$/;
function startsWithHost(first) {
  return first.includes(".") || first.includes(":") || first === "localhost" || first === "*" || first === "**";
}
function validatePattern(pattern) {
  if (pattern.trim() !== pattern || pattern === "") return "must not be empty or have surrounding spaces";
  if (/[A-Z]/.test(pattern)) return "must be lowercase (image names are)";
  if (pattern.includes("@")) return "must not hold a digest (patterns match image names, e.g. mcr.microsoft.com/**)";
  if (!ALLOWED_CHARS.test(pattern)) {
    return 'may only use lowercase letters, digits, ".", "_", "-", "/", "*", "**" and ":" before a registry port';
  }
  const segments = pattern.split("/");
  if (segments.some((s2) => s2 === "")) return 'must not start or end with "/" or hold "//"';
  const first = segments[0];
  if (segments.slice(1).some((s2) => s2.includes(":")) || first.includes(":") && !HOST_WITH_PORT.test(first)) {
    return 'must not hold a tag (patterns match image names without tag; ":" is only for a registry port)';
  }
  if (segments.some((s2) => s2.includes("**") && s2 !== "**")) return 'uses "**" inside a segment; "**" must stand alone between slashes';
  return void 0;
}
function normalisePattern(pattern) {
  const segments = pattern.split("/");
  const first = segments[0];
  if (startsWithHost(first)) {
    if (first === "index.docker.io" || first === "registry-1.docker.io") segments[0] = "docker.io";
    if (segments.length === 1 && first !== "**") segments.push("**");
    return segments.join("/");
  }
  return ["docker.io", ...segments.length === 1 ? ["library"] : [], ...segments].join("/");
}
function escape2(s2) {
  return s2.replace(/[.+^${}()|[\]\\?]/g, "\\$&");
}
function patternSource(pattern) {
  const segments = normalisePattern(pattern).split("/");
  if (segments.length === 1 && segments[0] === "**") return "^[^/]+(?:/[^/]+)*$";
  let out = "";
  let needSep = false;
  for (const seg of segments) {
    if (seg === "**") {
      out += needSep ? "(?:/[^/]+)*" : "(?:[^/]+/)*";
      continue;
    }
    out += (needSep ? "/" : "") + seg.split("*").map(escape2).join("[^/]*");
    needSep = true;
  }
  return `^${out}$`;
}
function compilePatterns(patterns) {
  const compiled2 = patterns.map((p) => ({ p, re: new RegExp(patternSource(p)) }));
  return (name) => compiled2.find((c) => c.re.test(name))?.p;
}

// src/config/load.ts
var DEFAULT_CONFIG_FILE = ".podguard.yml";
var cached;
function validator(rules) {
  if (cached?.rules !== rules) {
    const ajv = new import_ajv.Ajv({ allErrors: true, strict: false });
    cached = { rules, validate: ajv.compile(configSchema(rules)) };
  }
  return cached.validate;
}
var TYPE_WORDS = {
  array: "a list",
  object: "a mapping",
  string: "a string",
  boolean: "true or false",
  integer: "a whole number",
  number: "a number"
};
function valueAt(data, path) {
  let cur = data;
  for (const p of path) cur = cur !== null && typeof cur === "object" ? cur[p] : void 0;
  return cur;
}
function shown(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : "a number";
  return typeof v;
}
function lstatQuiet2(p) {
  try {
    return lstatSync2(p, { throwIfNoEntry: false });
  } catch {
    return void 0;
  }
}
var keyName = (k) => safeData(k, 60);
function closest(name, known) {
  let best;
  for (const id of known) {
    const dp = Array.from({ length: id.length + 1 }, (_, j) => j);
    for (let i2 = 1; i2 <= name.length; i2++) {
      let prev = dp[0];
      dp[0] = i2;
      for (let j = 1; j <= id.length; j++) {
        const tmp = dp[j];
        dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (name[i2 - 1] === id[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    const d = dp[id.length];
    if (d <= 3 && (!best || d < best.d)) best = { id, d };
  }
  return best?.id;
}
function describe(err, data, rules) {
  const path = err.instancePath.split("/").slice(1).map((s2) => s2.replace(/~1/g, "/").replace(/~0/g, "~"));
  const key = keyName(path.join(".")) || "(top level)";
  if (err.keyword === "additionalProperties") {
    const extra = err.params.additionalProperty ?? "";
    const full = [...path, extra];
    if (path.length === 1 && path[0] === "rules") {
      const guess = closest(
        extra,
        rules.map((r2) => r2.meta.id)
      );
      return {
        path: full,
        text: `unknown rule "${keyName(extra)}" under "rules"${guess ? ` (did you mean "${guess}"?)` : ""}; podguard rules lists every rule`
      };
    }
    if (path.length === 0) {
      const guess = closest(extra, TOP_LEVEL_KEYS);
      return {
        path: full,
        text: `unknown key "${keyName(extra)}"${guess ? ` (did you mean "${guess}"?)` : ""}; known keys: ${TOP_LEVEL_KEYS.join(", ")}`
      };
    }
    if (path.length === 2 && path[0] === "rules") {
      const rule41 = rules.find((r2) => r2.meta.id === path[1]);
      const opts = Object.keys(rule41?.meta.optionsSchema?.properties ?? {});
      const list = opts.length ? `level, ${opts.join(", ")}` : "level (it has no options)";
      return { path: full, text: `unknown option "${keyName(full.join("."))}"; ${path[1]} takes ${list}` };
    }
    return { path: full, text: `unknown key "${keyName(full.join("."))}"` };
  }
  const got = valueAt(data, path);
  if (err.keyword === "enum") {
    const allowed = err.params.allowedValues ?? [];
    return { path, text: `"${key}" must be one of ${allowed.map((a) => String(a)).join(", ")} (got ${shown(got)})` };
  }
  if (key === "kubernetesVersion") {
    return {
      path,
      text: `"kubernetesVersion" must be a quoted minor version such as "1.34" (unquoted, YAML reads 1.30 as 1.3; got ${shown(got)})`
    };
  }
  if (err.keyword === "type") {
    const want = String(err.params.type ?? "");
    return { path, text: `"${key}" must be ${TYPE_WORDS[want] ?? want} (got ${shown(got)})` };
  }
  return { path, text: `"${key}" ${err.message ?? "is invalid"} (got ${shown(got)})` };
}
var TOP_LEVEL_KEYS = [
  "profile",
  "rules",
  "allowedImages",
  "deniedImages",
  "requireDigest",
  "exclude",
  "baseline",
  "maxFileBytes",
  "kubernetesVersion"
];
function relevant(errors, data) {
  return errors.filter((e) => {
    if (e.keyword === "anyOf") return false;
    const m = /\/rules\/properties\/[^/]+\/anyOf\/(\d)\//.exec(e.schemaPath);
    if (!m) return true;
    const ruleKey = e.instancePath.split("/").slice(0, 3).join("/");
    const value = valueAt(
      data,
      ruleKey.split("/").slice(1).map((s2) => s2.replace(/~1/g, "/").replace(/~0/g, "~"))
    );
    const branch = value !== null && typeof value === "object" && !Array.isArray(value) ? "1" : "0";
    return m[1] === branch;
  });
}
function offAsLevel(data) {
  const cfg = data;
  if (typeof cfg.rules !== "object" || cfg.rules === null || Array.isArray(cfg.rules)) return data;
  const rules = {};
  for (const [id, value] of Object.entries(cfg.rules)) {
    if (value === false) rules[id] = "off";
    else if (typeof value === "object" && value !== null && value.level === false)
      rules[id] = { ...value, level: "off" };
    else rules[id] = value;
  }
  return { ...data, rules };
}
function settingsFromObject(input, rules, fileLabel, locate) {
  const settings = defaultSettings();
  settings.configFile = fileLabel;
  if (input === null || input === void 0) return settings;
  const data = typeof input === "object" && !Array.isArray(input) ? offAsLevel(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null))) : input;
  const validate = validator(rules);
  if (!validate(data)) {
    const errs = relevant(validate.errors ?? [], data);
    const described = (errs.length ? errs : validate.errors ?? []).map((e) => describe(e, data, rules));
    const unique = [...new Map(described.map((d) => [d.text, d])).values()];
    const lines = unique.map((d) => {
      const line = locate?.(d.path);
      return `${fileLabel}${line ? `:${line}` : ""}: ${d.text}`;
    });
    throw new ConfigurationError(lines.join("\n"));
  }
  const cfg = data;
  if (cfg.profile === "baseline" || cfg.profile === "restricted") settings.profile = cfg.profile;
  for (const key of ["allowedImages", "deniedImages"]) {
    const list = cfg[key] ?? [];
    list.forEach((p, i2) => {
      const problem = validatePattern(p);
      if (problem) throw new ConfigurationError(`${fileLabel}: "${key}.${i2}" ${problem}`);
    });
    settings[key] = list;
  }
  if (typeof cfg.requireDigest === "boolean") settings.requireDigest = cfg.requireDigest;
  if (Array.isArray(cfg.exclude)) settings.exclude = cfg.exclude;
  if (typeof cfg.baseline === "string") settings.baseline = cfg.baseline;
  if (typeof cfg.maxFileBytes === "number") settings.maxFileBytes = cfg.maxFileBytes;
  if (typeof cfg.kubernetesVersion === "string") settings.kubernetesVersion = cfg.kubernetesVersion;
  const ruleCfg = cfg.rules ?? {};
  for (const [id, value] of Object.entries(ruleCfg)) {
    if (typeof value === "string") settings.rules[id] = { level: value, options: {} };
    else {
      const { level, ...options } = value;
      settings.rules[id] = { level, options };
    }
  }
  return settings;
}
function loadSettings(root, configPath, rules, repoRoot = root) {
  let path;
  if (configPath) path = isAbsolute3(configPath) ? configPath : resolve4(root, configPath);
  else if (lstatQuiet2(join2(root, DEFAULT_CONFIG_FILE))) path = join2(root, DEFAULT_CONFIG_FILE);
  if (!path) return defaultSettings();
  const label = safeData(relative3(repoRoot, path).split("\\").join("/") || path);
  let text;
  try {
    text = readContainedFile(repoRoot, path, { label, maxBytes: MAX_CONFIG_BYTES, what: "configuration file" });
  } catch (err) {
    if (err instanceof ContainedReadError && err.missing && configPath) {
      throw new ConfigurationError(`configuration file not found: ${safeData(configPath)}`);
    }
    throw err;
  }
  const parsed = parseYaml(text);
  const problem = parsed.problems.find((p) => p.kind !== "duplicate-key") ?? parsed.problems[0];
  if (problem) {
    const line = text.slice(0, problem.offset).split("\n").length;
    throw new ConfigurationError(`${label}:${line}: not valid YAML: ${problem.message}`);
  }
  if (parsed.docs.length > 1) throw new ConfigurationError(`${label}: holds ${parsed.docs.length} YAML documents; use one`);
  const top = parsed.docs[0]?.root;
  const locate = (path2) => {
    let node = top ?? void 0;
    let at;
    for (const key of path2) {
      const pair = getPair(node, key);
      if (!pair) break;
      at = pair.key.start;
      node = pair.value;
    }
    return at === void 0 ? void 0 : text.slice(0, at).split("\n").length;
  };
  return settingsFromObject(toJS(top), rules, label, locate);
}

// src/rules/util.ts
function forEachContainer(file, fn) {
  if (file.kind !== "kubernetes") return;
  for (const w of file.workloads) for (const c of w.containers) fn(c, w);
}
function forEachWorkload(file, fn) {
  if (file.kind !== "kubernetes") return;
  for (const w of file.workloads) fn(w);
}
function isYamlFile(file) {
  return file.kind !== "dockerfile";
}
function isDockerFile(file) {
  return file.kind === "dockerfile";
}
function normalizeCapability(name) {
  const up = name.trim().toUpperCase();
  return up.startsWith("CAP_") ? up.slice(4) : up;
}
function capabilityItems(c, list) {
  const out = [];
  for (const node of asItems(get(get(c.securityContext, "capabilities"), list))) {
    const text = asText(node);
    if (text !== void 0 && text.trim() !== "") out.push({ node, name: normalizeCapability(text) });
  }
  return out;
}
function isWindowsPod(w) {
  return asText(get(get(w.podSpec, "os"), "name"))?.toLowerCase() === "windows";
}
function podLevelHint(c, field) {
  return getPair(c.workload.podSecurityContext, field) ? ` (the ${field} in the pod-level securityContext has no effect: it only works per container)` : "";
}
function spot(file, at) {
  return { file: detached(file), at: rangeOf(file, at) };
}

// src/rules/capabilities-not-dropped.ts
var rule = {
  meta: {
    id: "capabilities-not-dropped",
    title: "Capabilities not dropped",
    level: "warning",
    securitySeverity: 5.5,
    precision: "very-high",
    description: "A container does not drop ALL Linux capabilities (securityContext.capabilities.drop).",
    why: 'Container runtimes give every container a default set of capabilities (CHOWN, NET_RAW, SETUID, MKNOD...). Most applications need none of them, and some are useful to an attacker: `NET_RAW` allows ARP and DNS spoofing inside the cluster network. Microsoft\'s "Best practices for pod security in AKS" asks for the least privileges needed; the Pod Security Standards *restricted* profile requires `drop: ["ALL"]`.',
    fix: 'Drop everything, then add back only what the process needs:\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.",
    messages: {
      missing: "{container} does not drop ALL capabilities{hint}.",
      spelling: '{container} drops "{value}": write it as "ALL", the only spelling Pod Security admission accepts.',
      incomplete: "{container} drops some capabilities but not ALL: the rest of the runtime's default set stays."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const drops = capabilityItems(c, "drop");
      if (drops.some((i2) => i2.node.kind === "scalar" && i2.node.text === "ALL")) return;
      const spelled = drops.find((i2) => i2.name === "ALL");
      if (spelled) {
        const value = spelled.node.kind === "scalar" ? spelled.node.text : "ALL";
        ctx.report({ messageId: "spelling", data: { container: c.label, value }, at: spelled.node, identity: c.label, value });
        return;
      }
      const capabilities = containerField(c, "capabilities");
      const drop = getPair(capabilities?.value, "drop");
      if (drop) {
        ctx.report({ messageId: "incomplete", data: { container: c.label }, at: drop, identity: c.label });
        return;
      }
      ctx.report({
        messageId: "missing",
        data: { container: c.label, hint: podLevelHint(c, "capabilities") },
        at: capabilities ?? c.anchor,
        identity: c.label
      });
    });
  }
};

// src/rules/dangerous-capabilities.ts
var BASELINE_CAPABILITIES = /* @__PURE__ */ new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT"
]);
var rule2 = {
  meta: {
    id: "dangerous-capabilities",
    title: "Dangerous capability added",
    level: "error",
    securitySeverity: 8,
    precision: "very-high",
    description: "A container adds a Linux capability outside the Pod Security Standards baseline set (NET_ADMIN, SYS_ADMIN, SYS_TIME, ALL...).",
    why: "Linux capabilities split root's power into pieces; some pieces are most of it. `SYS_ADMIN` is close to full root, `NET_ADMIN` lets a container rewrite the node's network (and sniff or redirect traffic when combined with host networking), `SYS_TIME` changes the clock of the whole node, `SYS_PTRACE` reads other processes' memory, and `ALL` is every capability at once. Microsoft's \"Best practices for pod security in AKS\" asks to assign the least privileges needed; the Pod Security Standards *baseline* profile allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.",
    fix: 'Drop everything and add back only what the process really needs (usually nothing; `NET_BIND_SERVICE` to bind a port below 1024):\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n```\n\nIf the workload needs to change the node (a CNI plugin, a time daemon), run it as a reviewed system component and suppress the finding with a justification.',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      added: "{container} adds the capability {capability}, which is outside the Pod Security Standards baseline set.",
      all: "{container} adds ALL capabilities: it holds most of root's power on the node."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const item of capabilityItems(c, "add")) {
        if (BASELINE_CAPABILITIES.has(item.name)) continue;
        const messageId = item.name === "ALL" ? "all" : "added";
        ctx.report({ messageId, data: { container: c.label, capability: item.name }, at: item.node, identity: c.label, value: item.name });
      }
    });
  }
};

// src/image/reference.ts
var DOCKER_HUB = "docker.io";
var NAME_TOTAL_MAX = 255;
var DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
var TAG = /^[\w][\w.-]{0,127}$/;
var DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
function invalid(original, reason) {
  return { ok: false, original, reason };
}
function isRegistry(component) {
  return component.includes(".") || component.includes(":") || component === "localhost";
}
var parsedCache = /* @__PURE__ */ new Map();
var PARSED_CACHE_MAX = 4096;
function parseReference(input) {
  let parsed = parsedCache.get(input);
  if (parsed) return parsed;
  if (parsedCache.size >= PARSED_CACHE_MAX) parsedCache.clear();
  parsed = Object.freeze(parseUncached(input));
  parsedCache.set(input, parsed);
  return parsed;
}
function parseUncached(input) {
  const ref = input;
  if (ref === "") return invalid(input, "it is empty");
  if (/\s/.test(ref)) return invalid(input, "it contains whitespace");
  let rest = ref;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return invalid(input, `"@${digest}" is not a valid digest (expected @sha256: and 64 hex digits)`);
    const [algo, hex] = digest.split(":");
    if (algo === "sha256" && !/^[a-f0-9]{64}$/.test(hex)) return invalid(input, "a sha256 digest must be 64 lowercase hex digits");
    if (algo === "sha512" && !/^[a-f0-9]{128}$/.test(hex)) return invalid(input, "a sha512 digest must be 128 lowercase hex digits");
  }
  let tag;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      return invalid(input, `":${tag}" is not a valid tag (letters, digits, "_", "." and "-", up to 128, not starting with "." or "-")`);
  }
  if (rest === "") return invalid(input, "it has no repository name");
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistry(parts[0])) {
    registry = parts.shift();
    if (!DOMAIN.test(registry)) return invalid(input, `"${registry}" is not a valid registry host`);
    registry = registry.toLowerCase();
    if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  }
  for (const p of parts) {
    if (p === "") return invalid(input, 'it has an empty path component ("//" or a leading or trailing "/")');
    if (p !== p.toLowerCase()) return invalid(input, `repository names must be lowercase ("${p}")`);
    if (!PATH_COMPONENT.test(p))
      return invalid(input, `"${p}" is not a valid repository name component (lowercase letters, digits and single separators . _ __ -)`);
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  const path = parts.join("/");
  const name = `${registry}/${path}`;
  if (rest.length > NAME_TOTAL_MAX) return invalid(input, `the repository name is longer than ${NAME_TOTAL_MAX} characters`);
  return { ok: true, original: input, registry, path, name, tag, digest };
}
function familiarName(name) {
  if (name.startsWith(`${DOCKER_HUB}/library/`) && name.split("/").length === 3) return name.slice(`${DOCKER_HUB}/library/`.length);
  if (name.startsWith(`${DOCKER_HUB}/`)) return name.slice(DOCKER_HUB.length + 1);
  return name;
}

// src/image/user.ts
function variablesBefore(model, stage, before) {
  const vars = /* @__PURE__ */ new Map();
  for (const ins of stage.instructions) {
    if (ins === before) break;
    const keyword = ins.getKeyword();
    if (keyword === "ARG") {
      const prop = ins.getProperty();
      const name = prop?.getName();
      if (name) vars.set(name, prop?.getValue() ?? model.globalArgs.get(name));
    } else if (keyword === "ENV") {
      for (const prop of ins.getProperties()) vars.set(prop.getName(), prop.getValue() ?? "");
    }
  }
  return vars;
}
function classifyUser(value) {
  const user = value.trim().replace(/^(["'])(.*)\1$/, "$2").split(":")[0].trim().replace(/^(["'])(.*)\1$/, "$2");
  if (["root", "containeradministrator"].includes(user.toLowerCase()) || /^\+?0+$/.test(user)) return "root";
  return /^\+?\d+$/.test(user) ? "numeric" : "named";
}
function bottom(stage) {
  let s2 = stage;
  while (s2.parent) s2 = s2.parent;
  return s2;
}
function finalUser(model) {
  const last = finalStage(model);
  if (!last || last.rawImage === "") return void 0;
  const base = bottom(last);
  const scratch = base.image.toLowerCase() === "scratch";
  for (let s2 = last; s2; s2 = s2.parent) {
    const users = s2.instructions.filter((i2) => i2.getKeyword() === "USER" && (i2.getArgumentsContent()?.trim() ?? "") !== "");
    const ins = users[users.length - 1];
    if (!ins) continue;
    const raw = ins.getArgumentsContent()?.trim() ?? "";
    const { value, unresolved } = substitute(raw, variablesBefore(model, s2, ins));
    const range2 = dfRange(ins.getRange());
    if (unresolved || value.includes("$")) return { kind: "unresolved", user: value, range: range2, stage: s2, scratch };
    return { kind: classifyUser(value), user: value, range: range2, stage: s2, scratch };
  }
  const range = dfRange(last.from.getRange());
  const ref = scratch || base.unresolved ? void 0 : parseReference(base.image);
  const nonRoot = ref?.ok === true && ref.tag !== void 0 && /(^|[-_.])nonroot($|[-_.])/.test(ref.tag);
  return { kind: nonRoot ? "baseNonRoot" : "default", user: void 0, range, stage: last, scratch };
}

// src/rules/dockerfile-root-user.ts
var rule3 = {
  meta: {
    id: "dockerfile-root-user",
    title: "Dockerfile image runs as root",
    level: "error",
    securitySeverity: 7,
    precision: "high",
    description: "The final stage's effective user is root: no USER in the final stage or the stages it builds on, or a last USER root/0. A named user is accepted with a note.",
    why: 'The AKS pod security practice says containers should run as a defined, non-root user (Microsoft, "Best practices for pod security in AKS"); almost every base image defaults to root. Root in the container is root on the node after an escape. Kubernetes can only prove `runAsNonRoot` when the image user is a number: for a name the kubelet refuses to start the pod.',
    fix: "Do the steps that need root first, then switch to a numeric non-root user in the final stage:\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app\nCOPY --from=build /out /app\nUSER 10001:10001\n```\n\nOn `FROM scratch` there is no /etc/passwd: use `USER 65532:65532`.",
    tags: ["security", "dockerfile", "pod-security"],
    kinds: ["dockerfile"],
    messages: {
      noUser: "The final stage (FROM {image}) sets no USER, nor does any stage it builds on, so the image runs as root. Add a non-root numeric USER at the end, e.g. USER 10001.",
      rootUser: 'The final stage runs as root: "USER {user}" is its last USER. Switch back to a non-root numeric user after the steps that need root, e.g. USER 10001.',
      namedUser: 'The final stage runs as the named user "{user}": fine, but Kubernetes cannot verify runAsNonRoot for a name. Use its numeric UID (USER 10001, see id -u {user}) or set runAsUser in the manifest.',
      namedOnScratch: 'The final stage is FROM scratch and runs as the named user "{user}", but scratch has no /etc/passwd, so the container fails to start. Use a numeric UID, e.g. USER 65532:65532.'
    }
  },
  check(file, ctx) {
    if (file.kind !== "dockerfile") return;
    const u = finalUser(file.model);
    if (!u) return;
    const identity = "final stage user";
    if (u.kind === "default") {
      const image = u.stage.rawImage;
      ctx.report({ messageId: "noUser", data: { image }, at: u.range, identity });
    } else if (u.kind === "root") {
      ctx.report({ messageId: "rootUser", data: { user: u.user ?? "" }, at: u.range, identity, value: u.user });
    } else if (u.kind === "named") {
      const user = (u.user ?? "").split(":")[0];
      if (u.scratch) ctx.report({ messageId: "namedOnScratch", data: { user }, at: u.range, identity, value: user });
      else ctx.report({ messageId: "namedUser", data: { user }, at: u.range, identity, value: user, level: "note" });
    }
  }
};

// src/rules/dockerfile-sudo.ts
var SUDO = /(^|[;&|(`\n]|\$\(|\b(?:then|do|else|exec|xargs|env|time|nohup)[ \t]+)([ \t]*)(sudo)(?=[ \t\n;&|)]|$)/g;
var EXEC_SUDO = /^\[\s*"(sudo)"/;
var rule4 = {
  meta: {
    id: "dockerfile-sudo",
    title: "sudo in a Dockerfile RUN",
    level: "warning",
    securitySeverity: 5,
    precision: "high",
    description: "A RUN instruction calls sudo (shell or exec form, continuations and heredocs included).",
    why: 'sudo needs a TTY and a sudoers entry, behaves differently across base images and hides which steps need root. An image that keeps sudo for its app user lets anyone who gets a shell become root, undoing the non-root user the AKS pod security practice asks for (Microsoft, "Best practices for pod security in AKS").',
    fix: "Run the privileged steps as root before switching users, then drop to the app user:\n\n```dockerfile\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n```",
    tags: ["security", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      sudo: "RUN calls sudo. Run the step as root before USER switches away (USER root ... USER 10001) instead of keeping sudo in the image."
    }
  },
  check(file, ctx) {
    if (file.kind !== "dockerfile") return;
    const src = file.source;
    const escape3 = file.model.ast.getEscapeCharacter();
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== "RUN") continue;
      const args = ins.getArguments();
      const first = args[0];
      if (!first) continue;
      const startPos = dfRange(first.getRange()).start;
      const endPos = dfRange(ins.getRange()).end;
      const start = src.lines.lineStart(startPos.line) + startPos.column - 1;
      const end = src.lines.lineStart(endPos.line) + endPos.column - 1;
      const raw = src.text.slice(start, end);
      const cont = new RegExp(`${escape3 === "\\" ? "\\\\" : "`"}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n)*`, "g");
      const text = raw.replace(cont, (m) => " ".repeat(m.length));
      const hits = [];
      const exec = EXEC_SUDO.exec(text);
      if (exec) hits.push(text.indexOf("sudo"));
      else for (const m of text.matchAll(SUDO)) hits.push(m.index + m[1].length + m[2].length);
      for (const offset of hits) {
        const at = src.lines.range(start + offset, start + offset + 4);
        ctx.report({ messageId: "sudo", at, identity: "RUN sudo" });
      }
    }
  }
};

// src/rules/duplicate-key.ts
var rule5 = {
  meta: {
    id: "duplicate-key",
    title: "Duplicate YAML key",
    level: "warning",
    securitySeverity: 4,
    precision: "very-high",
    description: "A YAML mapping defines the same key twice; only the last value takes effect.",
    why: "Kubernetes keeps the last of duplicate keys, so a reviewer who reads `privileged: false` may miss a later `privileged: true`. podguard checks the value that takes effect.",
    fix: "Keep one occurrence of the key:\n\n```yaml\nsecurityContext:\n  privileged: false\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci"],
    messages: { duplicate: "{message}." },
    system: true
  },
  check() {
  }
};

// src/rules/expired-suppression.ts
var rule6 = {
  meta: {
    id: "expired-suppression",
    title: "Expired suppression",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A suppression with until=YYYY-MM-DD is past its date: it no longer suppresses anything.",
    why: 'Temporary exceptions ("until the vendor ships a non-root image") are only safe when they end. Past its date the suppression stops working, the findings it covered are reported again, and this finding says why.',
    fix: "Fix the findings and delete the suppression, or renew it with a new date and an up-to-date reason:\n\n```yaml\n# podguard-ignore run-as-root until=2027-09-30 -- vendor v2 slipped to Q3 (TICKET-123)\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      expired: "This {form} for {rules} expired on {until}, so the findings it covered are reported again: fix them, or renew it with a new date and reason."
    },
    system: true
  },
  check() {
  }
};

// src/rules/file-error.ts
var rule7 = {
  meta: {
    id: "file-error",
    title: "File skipped or not readable as text",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A file that podguard would check was skipped (too large, binary, unreadable, a link out of the workspace) or is not valid UTF-8.",
    why: "A skipped file is not checked. podguard says so instead of passing it silently, so a gate cannot be bypassed by a file it could not read.",
    fix: "Save the file as UTF-8, keep manifests under the size limit (`maxFileBytes` in `.podguard.yml`), and replace links that leave the repository with real files:\n\n```yaml\n# .podguard.yml\nmaxFileBytes: 10485760\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      skipped: "This file was not scanned: {reason}.",
      encoding: "This file is not valid UTF-8 (first bad byte on line {line}); it was scanned with the bad bytes replaced."
    },
    system: true
  },
  check() {
  }
};

// src/rules/host-namespaces.ts
var NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];
var rule8 = {
  meta: {
    id: "host-namespaces",
    title: "Host namespace shared",
    level: "error",
    securitySeverity: 8,
    precision: "very-high",
    description: "A pod sets hostNetwork, hostPID or hostIPC to true.",
    why: "Namespaces are what keeps a container's view of the node small. With `hostNetwork` the pod sees every interface of the node, can reach services bound to localhost (the kubelet, cloud metadata proxies) and sniff traffic; with `hostPID` it sees and can signal (or, with ptrace, read) every process on the node, including other pods' secrets in their environment; with `hostIPC` it shares the node's shared memory. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids all three.",
    fix: "Remove the field (the default is false) and expose the pod through a Service instead of the node's network:\n\n```yaml\nspec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostNetwork: "{workload} uses the node's network namespace (hostNetwork: true): it sees all of the node's traffic and local services.",
      hostPID: "{workload} uses the node's process namespace (hostPID: true): it sees every process on the node.",
      hostIPC: "{workload} uses the node's IPC namespace (hostIPC: true): it shares memory with the node's processes."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const field of NAMESPACES) {
        const pair = getPair(w.podSpec, field);
        if (pair && asBool(pair.value) === true) {
          ctx.report({ messageId: field, data: { workload: w.label }, at: pair, identity: w.label });
        }
      }
    });
  }
};

// src/rules/host-path.ts
var RUNTIME_SOCKETS = /* @__PURE__ */ new Set(["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock", "podman.sock"]);
var NODE_CONFIG = "the node's configuration and credentials";
var RUNTIME_STATE = "the container runtime's sockets and state";
var SENSITIVE_TREES = /* @__PURE__ */ new Map([
  // First match names what a parent directory exposes, so the worst come first.
  ["/var/lib/kubelet", "the volumes, secrets and tokens of every pod on the node"],
  ["/var/lib/docker", "every container's file system"],
  ["/var/lib/containerd", "every container's file system"],
  ["/var/lib/etcd", "the cluster's database, with every Secret"],
  ["/proc", "the node's processes and kernel settings"],
  ["/sys", "the node's kernel and device settings"],
  ["/dev", "the node's devices"],
  ["/boot", "the node's kernel and boot loader"],
  ["/root", "the node's root home directory"],
  ["/var/run", RUNTIME_STATE],
  ["/run", RUNTIME_STATE],
  ["/etc/kubernetes", "the node's Kubernetes credentials and certificates"],
  ["/etc/ssh", NODE_CONFIG],
  ["/etc/sudoers.d", NODE_CONFIG],
  ["/etc/systemd", NODE_CONFIG],
  ["/etc/containerd", "the container runtime's configuration"],
  ["/etc/docker", "the container runtime's configuration"],
  ["/etc/crio", "the container runtime's configuration"],
  ["/etc/cron.d", NODE_CONFIG]
]);
var SENSITIVE_PATHS = /* @__PURE__ */ new Map([
  ["/", "the node's whole file system"],
  ["/etc", NODE_CONFIG],
  ["/etc/shadow", NODE_CONFIG],
  ["/etc/gshadow", NODE_CONFIG],
  ["/etc/passwd", NODE_CONFIG],
  ["/etc/sudoers", NODE_CONFIG],
  ["/etc/crontab", NODE_CONFIG]
]);
var RUN_EXCEPTIONS = /* @__PURE__ */ new Set(["/run/xtables.lock", "/var/run/xtables.lock"]);
function normalizePath(raw) {
  if (!raw.startsWith("/")) return void 0;
  const parts = [];
  for (const seg of raw.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}
var isUnder = (path, tree) => path === tree || path.startsWith(`${tree}/`);
function classify(path) {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (RUNTIME_SOCKETS.has(base)) return { kind: "runtimeSocket", holds: "" };
  if (RUN_EXCEPTIONS.has(path)) return { kind: "other", holds: "" };
  const exact = SENSITIVE_PATHS.get(path);
  if (exact) return { kind: "sensitive", holds: exact };
  for (const [tree, holds] of SENSITIVE_TREES) if (isUnder(path, tree)) return { kind: "sensitive", holds };
  for (const t of [...SENSITIVE_TREES.keys(), ...SENSITIVE_PATHS.keys()]) {
    if (t !== path && isUnder(t, path)) return { kind: "sensitive", holds: `${t} among others` };
  }
  return { kind: "other", holds: "" };
}
function mountedBy(w, volume) {
  const names = w.containers.filter((c) => asItems(get(c.node, "volumeMounts")).some((m) => asText(get(m, "name")) === volume)).map((c) => `"${c.name}"`);
  if (!names.length) return "not mounted by any container";
  return `mounted by container${names.length > 1 ? "s" : ""} ${names.join(", ")}`;
}
var rule9 = {
  meta: {
    id: "host-path",
    title: "Host path mounted",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "A pod mounts a hostPath volume: an error for container runtime sockets and sensitive node paths (/, /etc, /proc, /sys, /dev, /var/run, /var/lib/kubelet...), a warning for any other host path.",
    why: "A `hostPath` volume gives the pod a piece of the node's file system. The container runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`) lets the pod start a privileged container on the node: a full node takeover. `/etc`, `/root`, `/var/lib/kubelet` hold the node's and other pods' credentials; `/proc`, `/sys` and `/dev` reach the kernel and devices; a parent such as `/var` or `/` exposes all of them. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids hostPath volumes altogether.",
    fix: "Use a volume that does not touch the node: `emptyDir` for scratch space, a `configMap`/`secret` for configuration, a PersistentVolumeClaim for data:\n\n```yaml\nvolumes:\n  - name: cache\n    emptyDir: {}\n```\n\nIf a node agent really needs a host path, mount the narrowest path, read-only (`readOnly: true` on the volumeMount), and suppress the finding with a justification.",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      runtimeSocket: '{workload} volume "{volume}" mounts the container runtime socket {path} ({mounts}): it can start privileged containers on the node.',
      sensitive: '{workload} volume "{volume}" mounts the host path {path}, which exposes {holds} ({mounts}).',
      other: '{workload} volume "{volume}" mounts the host path {path} ({mounts}).'
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const vol of asItems(get(w.podSpec, "volumes"))) {
        const hostPath = get(vol, "hostPath");
        if (!hostPath) continue;
        const volume = asText(get(vol, "name")) ?? "(unnamed)";
        const pathPair = getPair(hostPath, "path");
        const raw = asText(pathPair?.value) ?? "";
        const path = normalizePath(raw);
        const { kind, holds } = path === void 0 ? { kind: "other", holds: "" } : classify(path);
        const shown2 = !raw ? "(no path)" : path && path !== raw && path !== raw.replace(/\/+$/, "") ? `${raw} (that is ${path})` : raw;
        const at = pathPair ?? getPair(vol, "hostPath") ?? vol;
        ctx.report({
          messageId: kind,
          data: { workload: w.label, volume, path: shown2, holds, mounts: mountedBy(w, volume) },
          at,
          identity: `${w.label} volume "${volume}"`,
          value: path ?? raw,
          ...kind === "other" ? { level: "warning" } : {}
        });
      }
    });
  }
};

// src/rules/host-port.ts
var rule10 = {
  meta: {
    id: "host-port",
    title: "Host port bound",
    level: "warning",
    securitySeverity: 5,
    precision: "very-high",
    description: "A container port sets a non-zero hostPort.",
    why: "A `hostPort` opens the port on the node's own address, bypassing the Services and NetworkPolicies that normally front a pod, and it ties the pod to nodes where that port is free (two replicas cannot share a node). Microsoft's \"Best practices for pod security in AKS\" recommends Kubernetes Services to expose applications; the Pod Security Standards *baseline* profile disallows host ports.",
    fix: "Remove `hostPort` and expose the container port through a Service:\n\n```yaml\nports:\n  - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostPort: "{container} binds port {port} on the node (hostPort), outside any Service or NetworkPolicy."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const port of asItems(get(c.node, "ports"))) {
        const pair = getPair(port, "hostPort");
        if (!pair) continue;
        const value = asInt(pair.value);
        if (value === 0 || value === void 0) continue;
        ctx.report({ messageId: "hostPort", data: { container: c.label, port: value }, at: pair, identity: c.label, value: String(value) });
      }
    });
  }
};

// src/image/refs.ts
var import_dockerfile_ast2 = __toESM(require_main(), 1);

// src/parse/services.ts
function scalarValueOffset(s2, index) {
  return s2.start + index;
}
function envFromMap(map2) {
  return map2.pairs.map((p) => {
    const v = p.value;
    const value = v.kind === "scalar" && v.value !== null ? v.text : void 0;
    return { name: p.keyText, nameAt: p, valueNode: v, value, valueStart: v.start, valueEnd: v.end };
  });
}
function envFromList(items) {
  const out = [];
  for (const item of items) {
    if (item.kind !== "scalar") continue;
    const eq = item.text.indexOf("=");
    if (eq < 0) {
      out.push({ name: item.text.trim(), nameAt: item, valueNode: void 0, value: void 0, valueStart: item.end, valueEnd: item.end });
      continue;
    }
    const start = scalarValueOffset(item, eq + 1);
    out.push({
      name: item.text.slice(0, eq).trim(),
      nameAt: item,
      valueNode: item,
      value: item.text.slice(eq + 1),
      valueStart: start,
      valueEnd: item.plain ? item.end : start + (item.text.length - eq - 1)
    });
  }
  return out;
}
function composeEnvironment(node) {
  if (!node) return [];
  if (node.kind === "map") return envFromMap(node);
  return envFromList(asItems(node));
}
function composeServices(file) {
  const out = [];
  for (const doc of file.docs) {
    const services = asMap(get(doc.root ?? void 0, "services"));
    if (!services) continue;
    for (const pair of services.pairs) {
      const node = asMap(pair.value);
      if (!node) continue;
      out.push({
        name: pair.keyText,
        node,
        pair,
        image: get(node, "image"),
        environment: composeEnvironment(get(node, "environment")),
        label: `service "${pair.keyText}"`
      });
    }
  }
  return out;
}
function groupsOf(file) {
  const out = [];
  for (const doc of file.docs) {
    const root = asMap(doc.root ?? void 0);
    if (!root || asText(get(root, "type"))?.toLowerCase() !== "microsoft.containerinstance/containergroups") continue;
    out.push({ name: asText(get(root, "name")) ?? "(unnamed)", root, props: asMap(get(root, "properties")) });
  }
  return out;
}
function aciContainers(file) {
  const out = [];
  for (const g of groupsOf(file)) {
    for (const [key, init] of [
      ["initContainers", true],
      ["containers", false]
    ]) {
      asItems(get(g.props, key)).forEach((item, i2) => {
        if (item.kind !== "map") return;
        const namePair = getPair(item, "name");
        const name = asText(namePair?.value) ?? `#${i2 + 1}`;
        const props = asMap(get(item, "properties"));
        const environment = [];
        for (const e of asItems(get(props, "environmentVariables"))) {
          if (e.kind !== "map") continue;
          const np = getPair(e, "name");
          environment.push({
            name: asText(np?.value) ?? "",
            node: e,
            namePair: np,
            value: getPair(e, "value"),
            secureValue: getPair(e, "secureValue")
          });
        }
        out.push({
          group: g.name,
          name,
          node: item,
          anchor: namePair ?? item,
          image: get(props, "image"),
          environment,
          init,
          label: `container group "${g.name}" ${init ? "init container" : "container"} "${name}"`
        });
      });
    }
  }
  return out;
}
function aciRegistryCredentials(file) {
  const out = [];
  for (const g of groupsOf(file)) {
    for (const item of asItems(get(g.props, "imageRegistryCredentials"))) {
      if (item.kind !== "map") continue;
      out.push({ group: g.name, node: item, server: asText(get(item, "server")), password: getPair(item, "password") });
    }
  }
  return out;
}

// src/image/refs.ts
var VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|\(([A-Za-z_][A-Za-z0-9_]*)\)|([A-Za-z_][A-Za-z0-9_]*))/;
function leftoverVariable(text) {
  const m = VARIABLE.exec(text);
  return m ? m[1] ?? m[2] ?? m[3] : void 0;
}
function make(source, written, text, at, where, identity) {
  const unresolvedVar = leftoverVariable(text);
  return { source, written, text, unresolvedVar, ref: unresolvedVar ? void 0 : parseReference(text), at, where, identity, built: false };
}
function stageLabel(stage) {
  return stage.alias ? `stage "${stage.alias}"` : `stage ${stage.index}`;
}
function isStage(model, value) {
  if (/^\d+$/.test(value)) return true;
  const lower = value.toLowerCase();
  return model.stages.some((s2) => s2.alias === lower);
}
function* dockerfileRefs(file) {
  const model = file.model;
  for (const stage of model.stages) {
    const arg = stage.from.getArguments()[0];
    const label = stageLabel(stage);
    if (arg && stage.image.toLowerCase() !== "scratch" && !stage.parent) {
      yield make("from", stage.rawImage, stage.image, dfRange(arg.getRange()), `FROM of ${label}`, `${label} FROM`);
    }
    for (const ins of stage.instructions) {
      const keyword = ins.getKeyword();
      if (keyword !== "COPY" && keyword !== "RUN") continue;
      const flags = ins instanceof import_dockerfile_ast2.ModifiableInstruction ? ins.getFlags() : [];
      for (const flag of flags) {
        const name = flag.getName().toLowerCase();
        if (name === "from" && keyword === "COPY") {
          const value = flag.getValue();
          const range = flag.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          yield make("copy-from", value, text, dfRange(range), `COPY --from in ${label}`, `${label} COPY --from`);
        } else if (name === "mount" && keyword === "RUN") {
          const from = flag.getOption("from");
          const value = from?.getValue();
          const range = from?.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          yield make("mount-from", value, text, dfRange(range), `RUN --mount from in ${label}`, `${label} RUN --mount`);
        }
      }
    }
  }
}
function yamlText(node) {
  return node.kind === "scalar" && node.value !== null ? node.text : void 0;
}
function* yamlRef(source, parent, where, substituteDefaults) {
  const pair = getPair(parent, "image");
  if (!pair) return;
  const built = source === "compose" && getPair(parent, "build") !== void 0;
  const node = pair.value;
  const written = yamlText(node);
  if (written === void 0) {
    const reason = node.kind === "scalar" ? "it is empty" : `it is a ${node.kind === "map" ? "mapping" : "list"}, not a string`;
    yield {
      source,
      written: "",
      text: "",
      unresolvedVar: void 0,
      ref: { ok: false, original: "", reason },
      at: pair,
      where,
      identity: where,
      built
    };
    return;
  }
  const text = substituteDefaults ? substitute(written, /* @__PURE__ */ new Map()).value : written;
  yield { ...make(source, written, text, node, where, where), built };
}
function* yamlRefs(file) {
  if (file.kind === "kubernetes") {
    for (const w of file.workloads) for (const c of w.containers) yield* yamlRef("kubernetes", c.node, c.label, false);
  } else if (file.kind === "compose") {
    for (const s2 of composeServices(file)) yield* yamlRef("compose", s2.node, s2.label, true);
  } else {
    for (const c of aciContainers(file)) yield* yamlRef("aci", asMap(get(c.node, "properties")), c.label, false);
  }
}
function* forEachImageRef(file) {
  if (file.kind === "dockerfile") yield* dockerfileRefs(file);
  else yield* yamlRefs(file);
}

// src/image/policy.ts
function compilePolicy(settings) {
  return {
    allowed: settings.allowedImages,
    denied: settings.deniedImages,
    requireDigest: settings.requireDigest,
    matchAllowed: compilePatterns(settings.allowedImages),
    matchDenied: compilePatterns(settings.deniedImages)
  };
}
function policyOf(settings, state) {
  let policy = state.get("imagePolicy");
  if (!policy) {
    policy = compilePolicy(settings);
    state.set("imagePolicy", policy);
  }
  return policy;
}
function judgeName(policy, name) {
  const denied = policy.matchDenied(name);
  if (denied !== void 0) return { kind: "denied", pattern: denied };
  if (policy.allowed.length > 0 && policy.matchAllowed(name) === void 0) return { kind: "notAllowed" };
  return { kind: "allowed" };
}
function allowedText(policy) {
  if (policy.allowed.length === 0) return "any image not matching deniedImages";
  const shown2 = policy.allowed.slice(0, 5).join(", ");
  return policy.allowed.length > 5 ? `${shown2} and ${policy.allowed.length - 5} more` : shown2;
}
function pinProblem(ref) {
  if (ref.digest) return void 0;
  if (ref.tag === void 0) return "noTag";
  if (ref.tag === "latest") return "latest";
  return "noDigest";
}
function pinnedExample(ref) {
  let short = ref.original.split("@")[0];
  if (ref.tag !== void 0) short = short.slice(0, -(ref.tag.length + 1));
  if (short === "") short = familiarName(ref.name);
  const tag = ref.tag && ref.tag !== "latest" ? ref.tag : "<version>";
  return `${short}:${tag}@sha256:<digest>`;
}

// src/rules/image-not-allowed.ts
var rule11 = {
  meta: {
    id: "image-not-allowed",
    title: "Image not allowed by the image policy",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "An image reference (Dockerfile FROM/COPY --from/RUN --mount, Kubernetes, docker-compose, ACI) matches deniedImages, or matches no allowedImages pattern.",
    why: 'The AKS and ACI guidance asks for images only from a private, trusted registry (Azure Container Registry) and only approved, lean base images (Microsoft, "Security considerations for Azure Container Instances": use a private registry; "Best practices for container image management and security in AKS": secure and approved base images). An image from an unapproved source is unscanned code running in your cluster. One policy covers every place an image is named, so a Dockerfile cannot pull what a manifest may not.',
    fix: "Use an image from an approved registry, or approve it in `.podguard.yml` (patterns match normalised names without tag; `**` spans segments, `*` stays in one, a bare host means the whole registry):\n\n```yaml\nallowedImages:\n  - myregistry.azurecr.io/**\n  - mcr.microsoft.com/dotnet/*\ndeniedImages:\n  - docker.io/library/centos   # end of life\n```",
    tags: ["security", "supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    silentUnless: "Silent unless allowedImages or deniedImages is configured in .podguard.yml or given with --allow-image.",
    messages: {
      denied: '{where} uses image "{image}" ({name}), which matches the denied pattern "{pattern}" (deniedImages). Allowed: {allowed}.',
      notAllowed: '{where} uses image "{image}" ({name}), which matches no allowedImages pattern. Allowed: {allowed}.'
    }
  },
  check(file, ctx) {
    const policy = policyOf(ctx.settings, ctx.state);
    if (policy.allowed.length === 0 && policy.denied.length === 0) return;
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref?.ok) continue;
      const verdict = judgeName(policy, r2.ref.name);
      if (verdict.kind === "allowed") continue;
      const data = { where: r2.where, image: r2.text, name: r2.ref.name, allowed: allowedText(policy) };
      if (verdict.kind === "denied") {
        ctx.report({ messageId: "denied", data: { ...data, pattern: verdict.pattern }, at: r2.at, identity: r2.identity, value: r2.ref.name });
      } else {
        ctx.report({ messageId: "notAllowed", data, at: r2.at, identity: r2.identity, value: r2.ref.name });
      }
    }
  }
};

// src/rules/image-reference-invalid.ts
var rule12 = {
  meta: {
    id: "image-reference-invalid",
    title: "Malformed image reference",
    level: "error",
    securitySeverity: 3,
    precision: "very-high",
    description: "An image reference does not follow the Docker reference grammar (uppercase repository, bad tag or digest, empty, not a string).",
    why: 'A malformed reference fails at pull time (`InvalidImageName`, "invalid reference format"), after review and merge. It also cannot be checked against the image policy, so a typo would otherwise slip past the allowlist.',
    fix: "Write `[registry[:port]/]repository[:tag][@sha256:digest]`, with a lowercase repository:\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2\n```",
    tags: ["correctness", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      invalid: '{where} uses image reference "{image}", which is malformed: {reason}. Expected [registry[:port]/]repository[:tag][@sha256:digest] in lowercase, e.g. mcr.microsoft.com/dotnet/aspnet:8.0.'
    }
  },
  check(file, ctx) {
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref || r2.ref.ok) continue;
      ctx.report({
        messageId: "invalid",
        data: { where: r2.where, image: r2.text, reason: r2.ref.reason },
        at: r2.at,
        identity: r2.identity,
        value: r2.text
      });
    }
  }
};

// src/rules/image-tag.ts
var rule13 = {
  meta: {
    id: "image-tag",
    title: "Image not pinned to a version or digest",
    level: "error",
    securitySeverity: 6,
    precision: "very-high",
    description: "An image reference has no tag or uses :latest (error), or has no @sha256: digest (note; an error with requireDigest: true). A digest alone is fine; the image a compose service builds is not a pull.",
    why: 'Without a tag an image means `:latest`, which moves with every push: the same manifest deploys different code tomorrow, rollbacks are guesswork, and a compromised push reaches you unnoticed. The AKS image guidance asks for known, scanned base images and the ACI guidance for image integrity (Microsoft, "Best practices for container image management and security in AKS"; "Security considerations for Azure Container Instances"). A digest pins the exact bytes that were scanned and signed.',
    fix: "Pin a version tag, and the digest the tag points to (`docker buildx imagetools inspect <image>:<tag>` shows it):\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0@sha256:<digest>\n```\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2@sha256:<digest>\n```\n\nSet `requireDigest: true` in `.podguard.yml` to make a missing digest an error.",
    tags: ["security", "supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      noTag: '{where} uses image "{image}" with no tag, so it pulls whatever :latest is at deploy time. Pin a version and digest, e.g. {example}.',
      latest: '{where} uses image "{image}", whose :latest tag moves with every push. Pin a version and digest, e.g. {example}.',
      noDigest: '{where} uses image "{image}" without a digest, so the tag can be moved to other content. Pin it as {example}.'
    }
  },
  check(file, ctx) {
    const policy = policyOf(ctx.settings, ctx.state);
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref?.ok || r2.built) continue;
      const problem = pinProblem(r2.ref);
      if (!problem) continue;
      const level = problem === "noDigest" && !policy.requireDigest ? "note" : "error";
      ctx.report({
        messageId: problem,
        data: { where: r2.where, image: r2.text, example: pinnedExample(r2.ref) },
        at: r2.at,
        identity: r2.identity,
        value: r2.ref.name,
        level
      });
    }
  }
};

// src/rules/image-unresolved.ts
var rule14 = {
  meta: {
    id: "image-unresolved",
    title: "Image reference could not be checked",
    level: "note",
    securitySeverity: 2,
    precision: "high",
    description: "An image reference still holds a variable after substitution (a Dockerfile ARG without default, a compose ${VAR} without default, an envsubst placeholder), so the image policy could not be checked.",
    why: "The image policy (allowed registries, pinned tags) can only check what it can read. A variable without a default is decided at build or deploy time, where no review sees it; saying so keeps a green check from claiming more than it checked.",
    fix: "Give the variable a default that the policy can check, and override it only when needed:\n\n```dockerfile\nARG BASE_IMAGE=mcr.microsoft.com/dotnet/aspnet:8.0\nFROM ${BASE_IMAGE}\n```\n\n```yaml\nimage: ${REGISTRY:-myregistry.azurecr.io}/shop/web:1.2.0\n```",
    tags: ["supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      unresolved: '{where} uses image reference "{image}", whose variable {variable} has no value here, so the image policy could not be checked. Give {variable} a default or write the image out.'
    }
  },
  check(file, ctx) {
    for (const r2 of forEachImageRef(file)) {
      if (!r2.unresolvedVar) continue;
      ctx.report({
        messageId: "unresolved",
        data: { where: r2.where, image: r2.written, variable: r2.unresolvedVar },
        at: r2.at,
        identity: r2.identity,
        value: r2.written
      });
    }
  }
};

// src/rules/image-user-mismatch.ts
import { posix as posix3 } from "node:path";
function stateOf(map2) {
  let s2 = map2.get("seen");
  if (!s2) {
    s2 = { dockerfiles: [], hints: [], containers: [] };
    map2.set("seen", s2);
  }
  return s2;
}
function builtNames(path) {
  const base = posix3.basename(path).toLowerCase();
  const dir = posix3.basename(posix3.dirname(path)).toLowerCase();
  const names = [];
  if (base === "dockerfile" || base === "containerfile") {
    if (dir && dir !== ".") names.push(dir);
  } else {
    const m = /^(.+)\.(?:dockerfile|containerfile)$/.exec(base) ?? /^(?:dockerfile|containerfile)\.(.+)$/.exec(base);
    if (m) names.push(m[1]);
  }
  return names;
}
var rule15 = {
  meta: {
    id: "image-user-mismatch",
    title: "runAsNonRoot with an image whose user is a name",
    level: "note",
    securitySeverity: 4,
    precision: "medium",
    description: "A manifest sets runAsNonRoot: true without runAsUser, and its image is built in this repository by a Dockerfile whose final USER is a name, not a UID (or is root): the pod will not start.",
    why: 'With `runAsNonRoot: true` the kubelet must prove the image user is not root. It can only do that for a numeric UID; for a named user (`USER app`) it refuses to start the container ("image has non-numeric user (app), cannot verify user is non-root", CreateContainerConfigError). Both files look fine alone; together they fail at deploy time. The AKS pod security practice asks for a defined non-root user (Microsoft, "Best practices for pod security in AKS").',
    fix: "Make the user numeric in the Dockerfile, or name the UID in the manifest:\n\n```dockerfile\nUSER 10001\n```\n\n```yaml\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n```",
    tags: ["correctness", "pod-security", "cross-file"],
    kinds: ["kubernetes", "dockerfile", "compose"],
    messages: {
      manifest: '{container} sets runAsNonRoot: true without runAsUser, but its image {image} is built by {dockerfile}, whose final USER is the name "{user}": the kubelet cannot verify a name and the pod will not start. Set runAsUser to the UID, or use USER <uid> in {dockerfile}.',
      rootImage: "{container} sets runAsNonRoot: true, but its image {image} is built by {dockerfile}, which runs as root ({how}): the kubelet will refuse to start the container. End {dockerfile} with a non-root USER <uid>.",
      dockerfile: 'The final USER "{user}" is a name, and {container} ({manifest}) runs this image with runAsNonRoot: true and no runAsUser: the pod will not start. Use the numeric UID, e.g. USER 10001.'
    }
  },
  check(file, ctx) {
    const s2 = stateOf(ctx.state);
    if (file.kind === "dockerfile") {
      const user = finalUser(file.model);
      if (user)
        s2.dockerfiles.push({
          file: detached(file.source),
          user: { kind: user.kind, user: user.user, range: user.range, scratch: user.scratch }
        });
      return;
    }
    if (file.kind === "compose") {
      for (const svc of composeServices(file)) {
        const image = asText(svc.image);
        const build = get(svc.node, "build");
        if (!image || !build) continue;
        const ref = parseReference(image);
        const context = asText(build) ?? asText(get(asMap(build), "context")) ?? ".";
        const dockerfile = asText(get(asMap(build), "dockerfile")) ?? "Dockerfile";
        if (!ref.ok || /^[a-z]+:\/\//i.test(context) || context.startsWith("/") || context.includes("$")) continue;
        const path = posix3.normalize(posix3.join(posix3.dirname(file.source.path), context, dockerfile));
        s2.hints.push({ name: ref.name, dockerfile: path });
      }
      return;
    }
    forEachContainer(file, (c) => {
      const nonRoot = effective(c, "runAsNonRoot");
      if (!nonRoot || asBool(nonRoot.node) !== true || effective(c, "runAsUser")) return;
      const image = asText(c.image);
      const ref = image ? parseReference(image) : void 0;
      if (!image || !ref?.ok) return;
      s2.containers.push({ ...spot(file.source, nonRoot.pair), label: c.label, image, name: ref.name });
    });
  },
  finish(ctx) {
    const s2 = stateOf(ctx.state);
    const byPath = new Map(s2.dockerfiles.map((d) => [d.file.path, d]));
    const byName = /* @__PURE__ */ new Map();
    for (const d of s2.dockerfiles) {
      for (const n of builtNames(d.file.path)) byName.set(n, [...byName.get(n) ?? [], d]);
    }
    const hintsByName = /* @__PURE__ */ new Map();
    for (const h of s2.hints) hintsByName.set(h.name, [...hintsByName.get(h.name) ?? [], h.dockerfile]);
    const reportedDockerfiles = /* @__PURE__ */ new Set();
    for (const c of s2.containers) {
      const hinted = [...new Set(hintsByName.get(c.name) ?? [])];
      let candidates = hinted.map((p) => byPath.get(p)).filter((d2) => d2 !== void 0);
      if (hinted.length === 0) candidates = byName.get(c.name.split("/").pop()) ?? [];
      if (candidates.length !== 1) continue;
      const d = candidates[0];
      if (d.user.kind === "root" || d.user.kind === "default" && d.user.scratch) {
        ctx.report({
          file: c.file,
          messageId: "rootImage",
          data: {
            container: c.label,
            image: c.image,
            dockerfile: d.file.path,
            how: d.user.user ? `USER ${d.user.user}` : "FROM scratch without USER"
          },
          at: c.at,
          identity: c.label,
          value: d.file.path
        });
        continue;
      }
      if (d.user.kind !== "named" || d.user.scratch) continue;
      const user = (d.user.user ?? "").split(":")[0];
      ctx.report({
        file: c.file,
        messageId: "manifest",
        data: { container: c.label, image: c.image, dockerfile: d.file.path, user },
        at: c.at,
        identity: c.label,
        value: d.file.path
      });
      if (reportedDockerfiles.has(d.file.path)) continue;
      reportedDockerfiles.add(d.file.path);
      const range = d.user.range;
      ctx.report({
        file: d.file,
        messageId: "dockerfile",
        data: { user, container: c.label, manifest: c.file.path },
        at: range,
        identity: "final stage user",
        value: c.file.path
      });
    }
  }
};

// src/parse/netpol.ts
import { isIPv4, isIPv6 } from "node:net";
function parseCidr(text) {
  const slash = text.indexOf("/");
  if (slash < 0) return "has no /prefix length (write 10.0.0.0/16, or a.b.c.d/32 for one address)";
  const addr = text.slice(0, slash);
  const len = text.slice(slash + 1);
  let family;
  if (isIPv4(addr)) family = 4;
  else if (isIPv6(addr) && !addr.includes("%")) family = 6;
  else return `has an invalid ${addr.includes(":") ? "IPv6" : "IPv4"} address "${addr}"`;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits) return `has an invalid prefix length "/${len}" (0 to ${bits} for IPv${family})`;
  return { family, base: family === 4 ? v4ToBig(addr) : v6ToBig(addr), prefix: Number(len), bits };
}
function v4ToBig(addr) {
  return addr.split(".").reduce((acc, o) => acc << 8n | BigInt(Number(o)), 0n);
}
function v6ToBig(addr) {
  let text = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBig(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head2 = "", tail] = text.split("::");
  const h = head2 ? head2.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === void 0 ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => acc << 16n | BigInt(parseInt(g, 16)), 0n);
}
function network(c) {
  const host = (1n << BigInt(c.bits - c.prefix)) - 1n;
  return c.base & ~host;
}
function hasHostBits(c) {
  return network(c) !== c.base;
}
function canonical(c) {
  const n = network(c);
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((s2) => String(n >> s2 & 0xffn)).join(".")}/${c.prefix}`;
  const groups = [];
  for (let s2 = 112n; s2 >= 0n; s2 -= 16n) groups.push((n >> s2 & 0xffffn).toString(16));
  return `${groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}/${c.prefix}`;
}
function containsAddress(c, addr) {
  const shift = BigInt(c.bits - c.prefix);
  return addr >> shift === c.base >> shift;
}
var IMDS_ADDRESS = "169.254.169.254";
var IMDS = v4ToBig(IMDS_ADDRESS);
var IMDS_PORT = 80;
function rejected(a) {
  return a.problems.some((p) => !p.accepted);
}
var LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
var DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
var SELECTOR_FIELDS = /* @__PURE__ */ new Set(["matchLabels", "matchExpressions"]);
var OPERATORS = /* @__PURE__ */ new Set(["In", "NotIn", "Exists", "DoesNotExist"]);
function labelKeyProblem(key) {
  const parts = key.split("/");
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length > 2) return 'has more than one "/"';
  if (parts.length === 2 && (parts[0].length > 253 || !DNS_SUBDOMAIN.test(parts[0]))) return "has an invalid prefix";
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return "is not a valid label name";
  return void 0;
}
function labelValueProblem(node) {
  if (node.kind !== "scalar") return "is not a string";
  if (node.value === null) return void 0;
  if (typeof node.value !== "string") return `is a ${typeof node.value}, not a string (quote it: "${node.text}")`;
  const v = node.text;
  if (v.length > 63 || v.length > 0 && !LABEL_NAME.test(v)) return "is not a valid label value";
  return void 0;
}
function checkSelector(pair, where, out) {
  const sel = pair.value;
  if (sel.kind === "scalar" && sel.value === null) return true;
  if (sel.kind !== "map") {
    out.push({ messageId: "selectorMalformed", data: { where, reason: "is not a mapping (write matchLabels: {key: value})" }, at: pair });
    return false;
  }
  let ok = true;
  for (const p of sel.pairs) {
    if (!SELECTOR_FIELDS.has(p.keyText)) {
      out.push({ messageId: "selectorUnknownField", data: { where, field: p.keyText }, at: p });
      ok = false;
    }
  }
  const constraints = /* @__PURE__ */ new Map();
  const of = (key) => {
    let c = constraints.get(key);
    if (!c) constraints.set(key, c = { notIn: /* @__PURE__ */ new Set(), exists: false, doesNotExist: false });
    return c;
  };
  const restrict = (c, values) => {
    c.allowed = new Set(c.allowed ? values.filter((v) => c.allowed.has(v)) : values);
  };
  const labelsPair = getPair(sel, "matchLabels");
  if (labelsPair && !(labelsPair.value.kind === "scalar" && labelsPair.value.value === null)) {
    const labels = asMap(labelsPair.value);
    if (!labels) {
      out.push({ messageId: "selectorMalformed", data: { where, reason: "has a matchLabels that is not a mapping" }, at: labelsPair });
      ok = false;
    }
    for (const p of labels?.pairs ?? []) {
      const keyProblem = labelKeyProblem(p.keyText);
      const valueProblem = labelValueProblem(p.value);
      const reason = keyProblem ? `that ${keyProblem}` : valueProblem ? `whose value ${valueProblem}` : void 0;
      if (reason) {
        out.push({ messageId: "selectorMalformed", data: { where, reason: `has label "${p.keyText}" ${reason}` }, at: p });
        ok = false;
        continue;
      }
      const c = of(p.keyText);
      c.exists = true;
      restrict(c, [asText(p.value) ?? ""]);
    }
  }
  const exprPair = getPair(sel, "matchExpressions");
  if (exprPair && !(exprPair.value.kind === "scalar" && exprPair.value.value === null)) {
    if (exprPair.value.kind !== "seq") {
      out.push({ messageId: "selectorMalformed", data: { where, reason: "has a matchExpressions that is not a list" }, at: exprPair });
      ok = false;
    }
    for (const item of asItems(exprPair.value)) {
      const key = asText(get(item, "key"));
      const op = asText(get(item, "operator"));
      const valuesNode = get(item, "values");
      const values = asItems(valuesNode).map((v) => asText(v) ?? "");
      const hasValues = valuesNode !== void 0 && !(valuesNode.kind === "scalar" && valuesNode.value === null);
      let reason;
      if (item.kind !== "map") reason = "has a matchExpressions entry that is not a mapping";
      else if (!key) reason = "has a matchExpressions entry without a key";
      else if (labelKeyProblem(key)) reason = `has a matchExpressions key "${key}" that ${labelKeyProblem(key)}`;
      else if (!op || !OPERATORS.has(op)) reason = `has an unknown operator "${op ?? ""}" (In, NotIn, Exists or DoesNotExist)`;
      else if ((op === "In" || op === "NotIn") && values.length === 0) reason = `uses ${op} on "${key}" without values`;
      else if ((op === "Exists" || op === "DoesNotExist") && hasValues && values.length > 0) reason = `uses ${op} on "${key}" with values`;
      else if (hasValues && valuesNode.kind !== "seq") reason = `has values for "${key}" that are not a list`;
      else {
        const bad = asItems(valuesNode).find((v) => labelValueProblem(v) !== void 0 || v.kind === "scalar" && v.value === null);
        if (bad) reason = `has a value for "${key}" that ${labelValueProblem(bad) ?? "is empty (null)"}`;
      }
      if (reason) {
        out.push({ messageId: "selectorMalformed", data: { where, reason }, at: item });
        ok = false;
        continue;
      }
      const c = of(key);
      if (op === "In") {
        c.exists = true;
        restrict(c, values);
      } else if (op === "NotIn") for (const v of values) c.notIn.add(v);
      else if (op === "Exists") c.exists = true;
      else c.doesNotExist = true;
    }
  }
  if (!ok) return false;
  for (const [key, c] of constraints) {
    const left = c.allowed ? [...c.allowed].filter((v) => !c.notIn.has(v)) : void 0;
    let why;
    if (c.doesNotExist && c.exists) why = `label "${key}" must both exist and not exist`;
    else if (left && left.length === 0) why = `no value of label "${key}" satisfies every condition`;
    if (why) {
      out.push({ messageId: "selectsNothing", data: { where, reason: why }, at: pair, accepted: true });
      return false;
    }
  }
  return constraints.size === 0;
}
var PROTOCOLS = /* @__PURE__ */ new Set(["TCP", "UDP", "SCTP"]);
var PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
function checkPort(port, out) {
  const reason = portProblem(port);
  if (reason) out.push({ messageId: "portInvalid", data: { reason }, at: port });
}
function portProblem(port) {
  if (port.kind !== "map") return "a ports entry is not a mapping";
  const protocol = get(port, "protocol");
  if (protocol && asText(protocol) !== void 0 && !PROTOCOLS.has(asText(protocol))) {
    return `protocol "${asText(protocol)}" is not TCP, UDP or SCTP`;
  }
  const p = get(port, "port");
  const endNode = get(port, "endPort");
  const end = endNode && !(endNode.kind === "scalar" && endNode.value === null) ? asInt(endNode) : void 0;
  const hasPort = p !== void 0 && !(p.kind === "scalar" && p.value === null);
  const n = hasPort ? asInt(p) : void 0;
  if (hasPort && n === void 0) {
    const name = asText(p) ?? "";
    if (!PORT_NAME.test(name)) return `port "${name}" is neither a number nor a valid port name`;
    if (endNode) return `endPort needs a numeric port, not the named port "${name}"`;
  }
  if (n !== void 0 && (n < 1 || n > 65535)) return `port ${n} is outside 1-65535`;
  if (endNode && end === void 0) return "endPort is not a number";
  if (end !== void 0 && !hasPort) return "endPort needs a port";
  if (end !== void 0 && n !== void 0 && (end < n || end > 65535)) return `endPort ${end} is below port ${n} or above 65535`;
  return void 0;
}
function portAllows(port, target) {
  const protocol = asText(get(port, "protocol")) ?? "TCP";
  if (protocol !== "TCP") return false;
  const p = get(port, "port");
  if (p === void 0 || p.kind === "scalar" && p.value === null) return true;
  const n = asInt(p);
  if (n === void 0) return false;
  const end = asInt(get(port, "endPort")) ?? n;
  return target >= n && target <= end;
}
function checkIpBlock(block, at, out) {
  const cidrPair = getPair(block, "cidr");
  const cidrText = asText(cidrPair?.value);
  if (!cidrPair || cidrText === void 0) {
    out.push({ messageId: "cidrMissing", data: {}, at });
    return void 0;
  }
  const cidr = parseCidr(cidrText);
  if (typeof cidr === "string") {
    out.push({ messageId: "cidrInvalid", data: { cidr: cidrText, reason: cidr }, at: cidrPair.value });
    return void 0;
  }
  if (hasHostBits(cidr)) {
    out.push({
      messageId: "cidrHostBits",
      data: { cidr: cidrText, canonical: canonical(cidr) },
      at: cidrPair.value,
      accepted: true,
      warning: true
    });
  }
  for (const e of asItems(get(block, "except"))) {
    const t = asText(e);
    const ex = t === void 0 ? "is not a CIDR string" : parseCidr(t);
    if (typeof ex === "string") {
      out.push({ messageId: "cidrInvalid", data: { cidr: t ?? "", reason: ex }, at: e });
      continue;
    }
    if (ex.family !== cidr.family || ex.prefix <= cidr.prefix || !containsAddress(cidr, ex.base)) {
      const reason = ex.family !== cidr.family ? `is IPv${ex.family} but its cidr "${cidrText}" is IPv${cidr.family}` : `is not a strict subset of its cidr "${cidrText}"`;
      out.push({ messageId: "exceptOutside", data: { except: t ?? "", reason }, at: e });
    }
  }
  return cidr;
}
function blockAllowsImds(block) {
  const cidr = parseCidr(asText(get(block, "cidr")) ?? "");
  if (typeof cidr === "string" || cidr.family !== 4 || !containsAddress(cidr, IMDS)) return false;
  for (const e of asItems(get(block, "except"))) {
    const ex = parseCidr(asText(e) ?? "");
    if (typeof ex !== "string" && ex.family === 4 && containsAddress(ex, IMDS)) return false;
  }
  return true;
}
function analyzePolicy(obj) {
  const problems = [];
  const spec = asMap(get(obj.node, "spec"));
  const result = { problems, selectsAll: false, egress: false, allowsImdsAt: void 0 };
  if (!spec) {
    problems.push({ messageId: "noSpec", data: { policy: obj.label }, at: getPair(obj.node, "kind") ?? obj.node });
    return result;
  }
  const podSelector = getPair(spec, "podSelector");
  result.selectsAll = podSelector ? checkSelector(podSelector, "spec.podSelector", problems) : true;
  const typesPair = getPair(spec, "policyTypes");
  const egressPair = getPair(spec, "egress");
  if (typesPair) {
    for (const t of asItems(typesPair.value)) {
      const v = asText(t);
      if (v !== "Ingress" && v !== "Egress") problems.push({ messageId: "policyType", data: { type: v ?? "" }, at: t });
      if (v === "Egress") result.egress = true;
    }
    if (typesPair.value.kind !== "seq" && !(typesPair.value.kind === "scalar" && typesPair.value.value === null)) {
      problems.push({ messageId: "policyType", data: { type: asText(typesPair.value) ?? "a mapping" }, at: typesPair });
    }
  } else {
    result.egress = asItems(egressPair?.value).length > 0;
  }
  for (const [section, peerKey] of [
    ["ingress", "from"],
    ["egress", "to"]
  ]) {
    for (const rule41 of asItems(get(spec, section))) {
      const peersNode = get(rule41, peerKey);
      const peers = asItems(peersNode);
      const portsNode = get(rule41, "ports");
      const ports = asItems(portsNode);
      for (const p of ports) checkPort(p, problems);
      let reachesImds = peers.length === 0 ? rule41 : void 0;
      for (const peer of peers) {
        const block = getPair(peer, "ipBlock");
        for (const key of ["podSelector", "namespaceSelector"]) {
          const p = getPair(peer, key);
          if (p) checkSelector(p, `${section}.${peerKey}.${key}`, problems);
        }
        if (block && (getPair(peer, "podSelector") || getPair(peer, "namespaceSelector"))) {
          problems.push({ messageId: "ipBlockCombined", data: {}, at: block });
        }
        const blockMap = block ? asMap(block.value) : void 0;
        if (block && !blockMap) problems.push({ messageId: "cidrMissing", data: {}, at: block });
        if (block && blockMap) {
          checkIpBlock(blockMap, block, problems);
          if (section === "egress" && !reachesImds && blockAllowsImds(blockMap)) reachesImds = get(blockMap, "cidr") ?? blockMap;
        }
      }
      if (section === "egress" && reachesImds && !result.allowsImdsAt && (ports.length === 0 || ports.some((p) => portAllows(p, IMDS_PORT)))) {
        result.allowsImdsAt = reachesImds;
      }
    }
  }
  return result;
}
function isNetworkPolicy(obj) {
  return obj.kind === "NetworkPolicy" && (obj.apiVersion === "networking.k8s.io/v1" || obj.apiVersion === "extensions/v1beta1");
}
function namespaceOf(obj) {
  return obj.namespace ?? "default";
}

// src/rules/imds-egress-not-blocked.ts
function stateOf2(ctx) {
  let s2 = ctx.state.get("scan");
  if (!s2) ctx.state.set("scan", s2 = { workloads: [], namespaces: /* @__PURE__ */ new Map(), declared: /* @__PURE__ */ new Set() });
  return s2;
}
function policiesOf(s2, ns) {
  let p = s2.namespaces.get(ns);
  if (!p) s2.namespaces.set(ns, p = { blocking: [], rejectedBlocking: [], allowing: [], openAllPods: [] });
  return p;
}
var rule16 = {
  meta: {
    id: "imds-egress-not-blocked",
    title: "Instance metadata endpoint reachable from pods",
    level: "warning",
    securitySeverity: 7,
    precision: "medium",
    description: "A namespace with workloads has no NetworkPolicy that selects all pods and blocks egress to the instance metadata endpoint 169.254.169.254; hostNetwork pods bypass NetworkPolicies.",
    why: "Every AKS node answers on 169.254.169.254 (the Azure Instance Metadata Service) with details of the node and, when the node pool has a managed identity, with access tokens for it. A compromised pod that reaches it can act as the node's identity in Azure. The AKS cluster security practice (seed 001, \"Toegang tot de API voor exemplaarmetagegevens beperken\") asks for a NetworkPolicy that selects all pods (`podSelector` `matchLabels: {}`), has policy type `Egress` and excludes `169.254.169.254/32`. The check is cross-file: the policy may sit anywhere in the scan, but it only counts for its own namespace (objects without `metadata.namespace` count as `default`; `kubectl -n` and kustomize `namespace:` overrides are not seen). A policy the API server rejects (see `networkpolicy-invalid`, for example the seed's own `cidr: 10.10.0.0/0#example`) does not count. Pods with `hostNetwork: true` use the node's network stack, so no NetworkPolicy applies to them. Silence the rule (`rules: {imds-egress-not-blocked: off}`) for clusters that block IMDS elsewhere, e.g. an Azure Firewall or a Cilium/Calico cluster-wide policy, or list namespaces under `ignoreNamespaces`.",
    fix: 'Add one policy per namespace (NetworkPolicies add up: no other egress policy in the namespace may allow 169.254.169.254):\n\n```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: block-instance-metadata\n  namespace: my-app          # one per namespace\nspec:\n  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n        - ipBlock:\n            cidr: "::/0"      # dual-stack clusters\n        - namespaceSelector: {}   # pods in the cluster (Cilium does not match pod IPs by ipBlock)\n```',
    tags: ["security", "kubernetes", "network-policy", "aks"],
    kinds: ["kubernetes"],
    defaultOptions: { ignoreNamespaces: [] },
    optionsSchema: {
      type: "object",
      properties: {
        ignoreNamespaces: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Namespaces whose workloads may reach IMDS (e.g. kube-system add-ons that need the node identity)."
        }
      },
      additionalProperties: false
    },
    silentUnless: "the scan holds workloads; in a changed-files scan it judges only namespaces whose Namespace object changed",
    messages: {
      missing: 'Namespace "{namespace}" has no NetworkPolicy that blocks egress to the metadata endpoint 169.254.169.254 for all pods: {workload} and every other pod there can fetch node identity tokens.',
      rejected: 'Namespace "{namespace}": {policy} would block the metadata endpoint 169.254.169.254, but the API server rejects it (see networkpolicy-invalid), so {workload} can reach it.',
      notBlocking: 'Namespace "{namespace}": {policy} selects all pods for egress but still lets them reach the metadata endpoint 169.254.169.254 ({file}:{line}), so {workload} can fetch node identity tokens.',
      hostNetwork: "{workload} uses hostNetwork: true, so no NetworkPolicy applies to it and it can reach the metadata endpoint 169.254.169.254.",
      allows: "{policy} allows egress to 169.254.169.254 for the pods it selects, which undoes the namespace's metadata block (NetworkPolicies add up)."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const ignored = new Set(ctx.options.ignoreNamespaces ?? []);
    const s2 = stateOf2(ctx);
    for (const obj of file.objects) {
      if (obj.kind === "Namespace" && obj.apiVersion === "v1" && obj.name) s2.declared.add(obj.name);
      if (!isNetworkPolicy(obj)) continue;
      const ns = namespaceOf(obj);
      const a = analyzePolicy(obj);
      const p = policiesOf(s2, ns);
      if (a.selectsAll && a.egress && !a.allowsImdsAt) (rejected(a) ? p.rejectedBlocking : p.blocking).push(obj.label);
      else if (a.egress && a.allowsImdsAt && !rejected(a)) {
        const place = { label: obj.label, ...spot(file.source, a.allowsImdsAt) };
        p.allowing.push(place);
        if (a.selectsAll) p.openAllPods.push(place);
      }
    }
    for (const w of file.workloads) {
      const ns = namespaceOf(w.object);
      if (ignored.has(ns)) continue;
      const hostNet = getPair(w.podSpec, "hostNetwork");
      if (hostNet && asBool(hostNet.value) === true) {
        ctx.report({ messageId: "hostNetwork", data: { workload: w.label }, at: hostNet, identity: `${ns}/${w.label}` });
        continue;
      }
      const meta = asMap(get(w.object.node, "metadata"));
      const at = getPair(meta, "name") ?? getPair(w.object.node, "kind") ?? w.object.node;
      s2.workloads.push({ namespace: ns, label: w.label, ...spot(file.source, at) });
    }
  },
  finish(ctx) {
    const s2 = stateOf2(ctx);
    const reported = /* @__PURE__ */ new Set();
    for (const w of s2.workloads) {
      if (reported.has(w.namespace)) continue;
      reported.add(w.namespace);
      if (ctx.partial && !s2.declared.has(w.namespace)) continue;
      const p = s2.namespaces.get(w.namespace);
      if (p && p.blocking.length > 0) continue;
      const identity = `namespace/${w.namespace}`;
      if (p && p.rejectedBlocking.length > 0) {
        ctx.report({
          messageId: "rejected",
          data: { namespace: w.namespace, policy: p.rejectedBlocking[0], workload: w.label },
          at: w.at,
          file: w.file,
          identity
        });
      } else if (p && p.openAllPods.length > 0) {
        const open = p.openAllPods[0];
        const line = open.at.start.line;
        ctx.report({
          messageId: "notBlocking",
          data: { namespace: w.namespace, policy: open.label, file: open.file.path, line, workload: w.label },
          at: w.at,
          file: w.file,
          identity
        });
      } else {
        ctx.report({ messageId: "missing", data: { namespace: w.namespace, workload: w.label }, at: w.at, file: w.file, identity });
      }
    }
    const ignored = new Set(ctx.options.ignoreNamespaces ?? []);
    for (const [ns, p] of s2.namespaces) {
      if (p.blocking.length === 0 || ignored.has(ns)) continue;
      for (const a of p.allowing)
        ctx.report({ messageId: "allows", data: { policy: a.label }, at: a.at, file: a.file, identity: `${ns}/${a.label}` });
    }
  }
};

// src/rules/insecure-security-profile.ts
var SELINUX_TYPES = /* @__PURE__ */ new Set(["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
var SAFE_SYSCTLS = /* @__PURE__ */ new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes"
]);
var APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
var SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
var SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
function checkContext(ctx, sc, subject) {
  if (!sc) return;
  for (const [field, messageId] of [
    ["seccompProfile", "seccompUnconfined"],
    ["appArmorProfile", "apparmorUnconfined"]
  ]) {
    const type2 = getPair(get(sc, field), "type");
    if (type2 && asText(type2.value)?.toLowerCase() === "unconfined")
      ctx.report({ messageId, data: { subject }, at: type2, identity: subject });
  }
  const selinux = asMap(get(sc, "seLinuxOptions"));
  const selinuxType = getPair(selinux, "type");
  const typeText = asText(selinuxType?.value);
  if (selinuxType && typeText && !SELINUX_TYPES.has(typeText)) {
    ctx.report({ messageId: "selinuxType", data: { subject, type: typeText }, at: selinuxType, identity: subject, value: typeText });
  }
  for (const field of ["user", "role"]) {
    const pair = getPair(selinux, field);
    const text = asText(pair?.value);
    if (pair && text)
      ctx.report({
        messageId: "selinuxUserRole",
        data: { subject, field, value: text },
        at: pair,
        identity: subject,
        value: `${field}=${text}`
      });
  }
}
var rule17 = {
  meta: {
    id: "insecure-security-profile",
    title: "Security profile disabled",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "A pod or container runs seccomp or AppArmor Unconfined, uses a custom SELinux type, user or role, sets procMount: Unmasked, or sets an unsafe sysctl.",
    why: "seccomp, AppArmor and SELinux are the kernel's second line of defence: they limit what a compromised process can ask the kernel for, and they are what stops many container escapes. Microsoft's \"Best practices for pod security in AKS\" names AppArmor, seccomp and SELinux labels as the means to limit container access to resources, with the least privileges needed. The Pod Security Standards *baseline* profile forbids `Unconfined` seccomp and AppArmor profiles, SELinux types other than `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` (and any custom user or role), an unmasked `/proc`, and sysctls outside a short safe list (other sysctls can change the whole node or other pods).",
    fix: 'Use the runtime\'s default confinement (or a reviewed Localhost profile) and only safe sysctls:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n    appArmorProfile:\n      type: RuntimeDefault\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n        value: "1024 65535"\n  containers:\n    - name: web\n      securityContext:\n        procMount: Default\n```\n\nRemove custom `seLinuxOptions` unless the cluster operator provides that policy.',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      seccompUnconfined: "{subject} runs without a seccomp profile (Unconfined): every system call is open to it.",
      apparmorUnconfined: "{subject} runs without AppArmor confinement (Unconfined).",
      selinuxType: "{subject} uses the custom SELinux type {type}; only container_t, container_init_t, container_kvm_t and container_engine_t are allowed.",
      selinuxUserRole: "{subject} sets a custom SELinux {field} ({value}).",
      procMount: "{subject} sets procMount: Unmasked: the kernel paths normally masked in /proc are exposed.",
      unsafeSysctl: "{subject} sets the sysctl {sysctl}, which is not in the Pod Security Standards safe set."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      checkContext(ctx, w.podSecurityContext, w.label);
      for (const item of asItems(get(w.podSecurityContext, "sysctls"))) {
        const namePair = getPair(item, "name");
        const sysctl = asText(namePair?.value);
        if (namePair && sysctl && !SAFE_SYSCTLS.has(sysctl.replaceAll("/", "."))) {
          ctx.report({ messageId: "unsafeSysctl", data: { subject: w.label, sysctl }, at: namePair, identity: w.label, value: sysctl });
        }
      }
      const annotations = asMap(get(w.podMeta, "annotations"));
      for (const pair of annotations?.pairs ?? []) {
        const value = asText(pair.value)?.toLowerCase();
        if (value !== "unconfined") continue;
        if (pair.keyText.startsWith(APPARMOR_PREFIX)) {
          const name = pair.keyText.slice(APPARMOR_PREFIX.length);
          ctx.report({
            messageId: "apparmorUnconfined",
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`
          });
        } else if (pair.keyText.startsWith(SECCOMP_CONTAINER_PREFIX)) {
          const name = pair.keyText.slice(SECCOMP_CONTAINER_PREFIX.length);
          ctx.report({
            messageId: "seccompUnconfined",
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`
          });
        } else if (pair.keyText === SECCOMP_POD_ANNOTATION) {
          ctx.report({ messageId: "seccompUnconfined", data: { subject: w.label }, at: pair, identity: w.label });
        }
      }
      for (const c of w.containers) {
        checkContext(ctx, c.securityContext, c.label);
        const procMount = containerField(c, "procMount");
        if (procMount && asText(procMount.value) === "Unmasked") {
          ctx.report({ messageId: "procMount", data: { subject: c.label }, at: procMount, identity: c.label });
        }
      }
    });
  }
};

// src/rules/internal-error.ts
var rule18 = {
  meta: {
    id: "internal-error",
    title: "podguard internal error",
    level: "error",
    securitySeverity: 3,
    precision: "very-high",
    description: "A podguard rule failed on this document. The other rules and documents were still checked.",
    why: "A crash must not hide results: the document the rule failed on is reported so it is not assumed clean.",
    fix: "Please report the message with the document (secrets removed) at the podguard issue tracker. To unblock a build meanwhile:\n\n```yaml\n# .podguard.yml\nrules:\n  internal-error: warning\n```",
    tags: ["correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      rule: "Rule {rule} failed on this document ({error}); its results for this document are incomplete.",
      parser: "The parser failed on this file ({error}); it was not checked."
    },
    system: true
  },
  check() {
  }
};

// src/rules/invalid-suppression.ts
var rule19 = {
  meta: {
    id: "invalid-suppression",
    title: "Invalid suppression",
    level: "warning",
    securitySeverity: 2,
    precision: "very-high",
    description: "A suppression names an unknown rule or container, has a malformed until= date, or is written where it cannot work.",
    why: "A typo in a suppression must not pass silently: the author believes a finding is handled, and a mistyped rule id or date would either hide nothing or hide the wrong thing.",
    fix: 'Write `<rule-id>[,<rule-id>] [until=YYYY-MM-DD] -- <reason>` with ids from `podguard rules`:\n\n```yaml\nmetadata:\n  annotations:\n    podguard.dev/ignore.log-shipper: "privileged-container -- reads host logs (SEC-42)"\n```',
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      unknownRule: 'This {form} names "{rule}", which is not a podguard rule (see podguard rules).',
      badDate: "This {form} has until={value}, which is not a date: write until=YYYY-MM-DD. It has no effect until fixed.",
      badToken: 'This {form} has "{token}", which is neither a rule id nor until=YYYY-MM-DD (the reason goes after " -- "). It has no effect until fixed.',
      noRules: 'This {form} names no rule: write "<rule-id> -- <reason>". It has no effect until fixed.',
      unknownContainer: 'This {form} names container "{container}", but {object} has no container of that name.',
      trailingDockerfile: "Dockerfiles have no end-of-line comments (the text belongs to the instruction): put the podguard-ignore comment on its own line above the instruction."
    },
    system: true
  },
  check() {
  }
};

// src/rules/misplaced-security-field.ts
var CONTAINER_ONLY = /* @__PURE__ */ new Set(["allowPrivilegeEscalation", "capabilities", "privileged", "readOnlyRootFilesystem", "procMount"]);
var POD_ONLY = /* @__PURE__ */ new Set(["fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "sysctls"]);
var SHARED = new Set(SHARED_SECURITY_FIELDS);
var CONTEXT_FIELDS = /* @__PURE__ */ new Set([...CONTAINER_ONLY, ...POD_ONLY, ...SHARED]);
function wrappers(w) {
  const maps = [];
  let node = w.object.node;
  let path = "";
  for (let depth = 0; node && node !== w.podSpec && depth < 8; depth++) {
    maps.push({ map: node, path });
    const meta = asMap(get(node, "metadata"));
    if (meta) maps.push({ map: meta, path: join3(path, "metadata") });
    const key = get(node, "template") ? "template" : get(node, "jobTemplate") ? "jobTemplate" : "spec";
    node = asMap(get(node, key));
    path = join3(path, key);
  }
  return { maps, podSpecPath: path };
}
var join3 = (path, key) => path ? `${path}.${key}` : key;
function nestedContexts(w) {
  const out = [];
  const byNode = new Map(w.containers.map((c) => [c.node, c]));
  const walk2 = (node, path, container, depth) => {
    if (depth > 12) return;
    if (node.kind === "seq") {
      node.items.forEach((item, i2) => walk2(item, `${path}[${i2}]`, container, depth + 1));
      return;
    }
    if (node.kind !== "map") return;
    const own = byNode.get(node);
    const allowed = node === w.podSpec || own !== void 0;
    for (const pair of node.pairs) {
      if (pair.keyText === "securityContext") {
        if (!allowed) out.push({ pair, path: join3(path, "securityContext"), container });
        continue;
      }
      walk2(pair.value, join3(path, pair.keyText), own ?? container, depth + 1);
    }
  };
  walk2(w.podSpec, "", void 0, 0);
  return out;
}
function home(field, level) {
  if (CONTAINER_ONLY.has(field)) return level === "container" ? "the container's securityContext" : "each container's securityContext";
  if (POD_ONLY.has(field)) return "the pod-level securityContext";
  return level === "container" ? "the container's securityContext" : "the pod-level securityContext";
}
var rule20 = {
  meta: {
    id: "misplaced-security-field",
    title: "Security setting has no effect where it stands",
    level: "error",
    securitySeverity: 7,
    precision: "very-high",
    description: "A securityContext field sits where Kubernetes ignores it: container-only fields in the pod securityContext, pod-only fields in a container's, securityContext fields directly on a container or pod spec, or a securityContext outside the pod spec.",
    why: 'Kubernetes drops fields it does not know at a given level, usually without an error (kubectl only warns, Helm and GitOps tools often say nothing). The manifest *looks* hardened but the setting never reaches the container: `allowPrivilegeEscalation: false` in the pod-level securityContext leaves escalation allowed. Microsoft\'s own "Best practices for pod security in AKS" (Dutch edition) prints its example with the `securityContext` at the wrong level. The pod-level `PodSecurityContext` and the container-level `SecurityContext` are different types: `allowPrivilegeEscalation`, `capabilities`, `privileged`, `readOnlyRootFilesystem` and `procMount` exist only per container; `fsGroup`, `fsGroupChangePolicy`, `supplementalGroups`, `supplementalGroupsPolicy` and `sysctls` only per pod.',
    fix: 'Move each field to the level that has it:\n\n```yaml\nspec:\n  securityContext:            # pod level: users, groups, volumes, sysctls\n    runAsNonRoot: true\n    runAsUser: 1000\n    fsGroup: 2000\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: web\n      securityContext:        # container level: privileges of this container\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities:\n          drop: ["ALL"]\n```',
    tags: ["security", "kubernetes", "pod-security", "correctness"],
    kinds: ["kubernetes"],
    messages: {
      containerFieldAtPod: "{workload}: {field} in the pod-level securityContext has no effect; Kubernetes reads it only from each container's securityContext (containers[].securityContext.{field}).",
      podFieldInContainer: "{container}: {field} in the container securityContext has no effect; it belongs in the pod-level securityContext (the one beside containers:).",
      fieldOnContainer: "{container}: {field} is not a container field and has no effect here; it belongs under {where}.",
      fieldOnPodSpec: "{workload}: {field} is not a pod spec field and has no effect here; it belongs under {where}.",
      contextNested: "{workload}: the securityContext at {path} has no effect there; it belongs {home}.",
      contextOutsidePodSpec: "{workload}: the securityContext {place} is outside the pod spec and has no effect; move it under {podSpec}.securityContext."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const pair of w.podSecurityContext?.pairs ?? []) {
        if (CONTAINER_ONLY.has(pair.keyText)) {
          ctx.report({
            messageId: "containerFieldAtPod",
            data: { workload: w.label, field: pair.keyText },
            at: pair,
            identity: w.label,
            value: pair.keyText
          });
        }
      }
      for (const pair of w.podSpec.pairs) {
        if (!CONTEXT_FIELDS.has(pair.keyText)) continue;
        const where = home(pair.keyText, "pod");
        ctx.report({
          messageId: "fieldOnPodSpec",
          data: { workload: w.label, field: pair.keyText, where },
          at: pair,
          identity: w.label,
          value: pair.keyText
        });
      }
      const { maps, podSpecPath } = wrappers(w);
      for (const { map: map2, path } of maps) {
        const pair = getPair(map2, "securityContext");
        if (!pair) continue;
        const place = path ? `at ${path}.securityContext` : "at the top level of the object";
        ctx.report({
          messageId: "contextOutsidePodSpec",
          data: { workload: w.label, place, podSpec: podSpecPath },
          at: pair,
          identity: w.label
        });
      }
      for (const n of nestedContexts(w)) {
        const home2 = n.container ? `directly under ${n.container.label.slice(w.label.length + 1)} (at the level of its name: key)` : "directly under the pod spec or a container";
        ctx.report({
          messageId: "contextNested",
          data: { workload: w.label, path: `${podSpecPath}.${n.path}`, home: home2 },
          at: n.pair,
          identity: n.container?.label ?? w.label,
          value: n.path
        });
      }
      for (const c of w.containers) {
        for (const pair of c.securityContext?.pairs ?? []) {
          if (POD_ONLY.has(pair.keyText)) {
            ctx.report({
              messageId: "podFieldInContainer",
              data: { container: c.label, field: pair.keyText },
              at: pair,
              identity: c.label,
              value: pair.keyText
            });
          }
        }
        for (const pair of c.node.pairs) {
          if (CONTEXT_FIELDS.has(pair.keyText)) {
            ctx.report({
              messageId: "fieldOnContainer",
              data: { container: c.label, field: pair.keyText, where: home(pair.keyText, "container") },
              at: pair,
              identity: c.label,
              value: pair.keyText
            });
          }
        }
      }
    });
  }
};

// src/rules/missing-seccomp-profile.ts
var SECCOMP_POD_ANNOTATION2 = "seccomp.security.alpha.kubernetes.io/pod";
var SECCOMP_CONTAINER_PREFIX2 = "container.seccomp.security.alpha.kubernetes.io/";
function confiningAnnotation(value) {
  const v = value?.toLowerCase();
  return v === "runtime/default" || v === "docker/default" || v !== void 0 && v.startsWith("localhost/");
}
var rule21 = {
  meta: {
    id: "missing-seccomp-profile",
    title: "No seccomp profile",
    level: "warning",
    securitySeverity: 5,
    precision: "high",
    description: "Neither the pod nor the container sets seccompProfile (RuntimeDefault or Localhost).",
    why: "Without a seccomp profile a container may call every system call the kernel offers, including the rarely used ones behind many container escapes; Kubernetes does not apply the runtime's default profile unless asked (or unless the cluster enables `--seccomp-default`). Microsoft's \"Best practices for pod security in AKS\" points to seccomp to limit what containers can do; the Pod Security Standards *restricted* profile requires `RuntimeDefault` or `Localhost`.",
    fix: "Set the runtime's default profile once for the whole pod:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt; the legacy `seccomp.security.alpha.kubernetes.io` annotations with `runtime/default` or `localhost/...` count as set.",
    messages: {
      missing: "{container} has no seccomp profile: set seccompProfile.type: RuntimeDefault at pod or container level."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      if (effective(c, "seccompProfile")) return;
      const annotations = asMap(get(w.podMeta, "annotations"));
      if (confiningAnnotation(asText(get(annotations, `${SECCOMP_CONTAINER_PREFIX2}${c.name}`)))) return;
      if (confiningAnnotation(asText(get(annotations, SECCOMP_POD_ANNOTATION2)))) return;
      ctx.report({ messageId: "missing", data: { container: c.label }, at: c.anchor, identity: c.label });
    });
  }
};

// src/rules/networkpolicy-invalid.ts
var rule22 = {
  meta: {
    id: "networkpolicy-invalid",
    title: "Invalid NetworkPolicy",
    level: "error",
    securitySeverity: 6.5,
    precision: "very-high",
    description: "A NetworkPolicy has an invalid ipBlock CIDR, an except outside its cidr, a malformed or contradictory label selector, an invalid port, or an unknown policy type.",
    why: 'A NetworkPolicy the API server rejects protects nothing, and the pipeline that applies it often fails late or, worse, the team believes the namespace is isolated. The AKS cluster security practice (seed 001, "Toegang tot de API voor exemplaarmetagegevens beperken") prints an example whose `cidr: 10.10.0.0/0#example` is not a CIDR at all: copied as is, it is rejected. Kubernetes requires each `except` to be a strict subset of its `cidr` in the same IP family, selectors with valid label keys and string values, and `In`/`NotIn` with values. A selector that can never match (a label that must both exist and not exist, disjoint `In` lists) is accepted but silently applies to no pod. CIDRs written with host bits set (`10.10.0.0/0`) are accepted but mean the whole network (`0.0.0.0/0`), rarely what was meant.',
    fix: "Write real CIDRs, keep `except` inside `cidr`, and put labels under `matchLabels`:\n\n```yaml\nspec:\n  podSelector:\n    matchLabels:\n      app: web          # not podSelector: {app: web}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n```",
    tags: ["security", "kubernetes", "network-policy", "aks"],
    kinds: ["kubernetes"],
    messages: {
      cidrInvalid: '{policy}: ipBlock CIDR "{cidr}" {reason}; the API server rejects the policy.',
      cidrMissing: "{policy}: an ipBlock needs a cidr; the API server rejects the policy.",
      cidrHostBits: '{policy}: CIDR "{cidr}" has host bits set, so it means {canonical}; write the network you intend.',
      exceptOutside: '{policy}: except "{except}" {reason}; the API server rejects the policy.',
      selectorMalformed: "{policy}: {where} {reason}; the API server rejects the policy.",
      selectorUnknownField: '{policy}: {where} has field "{field}": labels belong under matchLabels. Strict validation rejects it; without validation the field is dropped and the selector matches every pod.',
      selectsNothing: "{policy}: {where} can never match a pod ({reason}).",
      policyType: '{policy}: policyTypes entry "{type}" is not Ingress or Egress; the API server rejects the policy.',
      ipBlockCombined: "{policy}: a peer combines ipBlock with a pod or namespace selector; write them as separate peers (the API server rejects this).",
      portInvalid: "{policy}: {reason}; the API server rejects the policy.",
      noSpec: "{policy} has no spec: it restricts nothing."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    for (const obj of file.objects) {
      if (!isNetworkPolicy(obj)) continue;
      for (const p of analyzePolicy(obj).problems) {
        ctx.report({
          messageId: p.messageId,
          data: { policy: obj.label, ...p.data },
          at: p.at,
          identity: `${obj.namespace ?? "default"}/${obj.label}`,
          value: Object.values(p.data).join(" "),
          ...p.warning ? { level: "warning" } : {}
        });
      }
    }
  }
};

// src/rules/parse-error.ts
var rule23 = {
  meta: {
    id: "parse-error",
    title: "File cannot be parsed",
    level: "error",
    securitySeverity: 5,
    precision: "very-high",
    description: "A manifest, compose or ACI file is not valid YAML (or is too deeply nested or alias-expanded to analyse), or a Dockerfile has an invalid escape directive or an unclosed here-document.",
    why: "A file that does not parse cannot be checked, and it will not deploy either: kubectl and the API server reject it. An unanalysable file must never pass a security gate silently.",
    fix: "Fix the syntax at the reported line. Validate locally with:\n\n```sh\nkubectl apply --dry-run=client -f <file>\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      syntax: "This file could not be parsed: {message}. Nothing in it was checked.",
      dockerfile: "This Dockerfile will not build as written: {message}. The rest of it was still checked."
    },
    system: true
  },
  check() {
  }
};

// src/rules/privilege-escalation.ts
var rule24 = {
  meta: {
    id: "privilege-escalation",
    title: "Privilege escalation allowed",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "A container does not set allowPrivilegeEscalation: false, or is privileged / adds SYS_ADMIN, which allows escalation whatever the field says.",
    why: 'Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent (setuid binaries such as `sudo`, file capabilities): a foothold in the container becomes root in the container. Microsoft\'s "Best practices for pod security in AKS" says to design applications so that this setting is *always* false, and the Pod Security Standards *restricted* profile requires it. Kubernetes treats the field as true for a privileged container or one that adds `CAP_SYS_ADMIN`, so setting it to false there does not help.',
    fix: 'Set it in every container (it is a container-only field: at pod level it is ignored):\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: false\n      privileged: false\n      capabilities:\n        drop: ["ALL"]\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.",
    messages: {
      missing: "{container} does not set allowPrivilegeEscalation: false{hint}.",
      allowed: "{container} sets allowPrivilegeEscalation to {value}: processes can gain more privileges than their parent.",
      privileged: "{container} is privileged, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.",
      sysAdmin: "{container} adds {capability}, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const identity = c.label;
      const privileged = containerField(c, "privileged");
      if (privileged && asBool(privileged.value) === true) {
        ctx.report({ messageId: "privileged", data: { container: c.label }, at: privileged, identity });
        return;
      }
      const sysAdmin = capabilityItems(c, "add").find((i2) => i2.name === "SYS_ADMIN");
      if (sysAdmin) {
        const capability = sysAdmin.node.kind === "scalar" ? sysAdmin.node.text : "SYS_ADMIN";
        ctx.report({ messageId: "sysAdmin", data: { container: c.label, capability }, at: sysAdmin.node, identity });
        return;
      }
      const field = containerField(c, "allowPrivilegeEscalation");
      if (!field) {
        ctx.report({
          messageId: "missing",
          data: { container: c.label, hint: podLevelHint(c, "allowPrivilegeEscalation") },
          at: c.anchor,
          identity
        });
        return;
      }
      if (asBool(field.value) === false) return;
      const value = field.value.kind === "scalar" ? field.value.text || "null" : field.value.kind;
      ctx.report({ messageId: "allowed", data: { container: c.label, value }, at: field, identity });
    });
  }
};

// src/rules/privileged-container.ts
var rule25 = {
  meta: {
    id: "privileged-container",
    title: "Privileged container",
    level: "error",
    securitySeverity: 9,
    precision: "very-high",
    description: "A container sets securityContext.privileged: true (or, on Windows, windowsOptions.hostProcess: true).",
    why: 'A privileged container gets every capability and all host devices: it is root on the node, and one compromised pod becomes a compromised cluster node. The AKS pod security practice asks for the least privilege a container needs and no escalation (Microsoft, "Best practices for pod security in AKS"); the Pod Security Standards baseline forbids privileged pods.',
    fix: 'Remove `privileged: true` (or set it to false) and grant only the single capability the workload needs:\n\n```yaml\nsecurityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if really needed\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      privileged: "{container} runs privileged: it has full access to the host.",
      hostProcess: "{container} is a Windows HostProcess container: it runs directly on the node with full access to it."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const pair = containerField(c, "privileged");
      if (pair && asBool(pair.value) === true) {
        ctx.report({ messageId: "privileged", data: { container: c.label }, at: pair, identity: c.label });
      }
      const hostProcess = getPair(get(c.securityContext, "windowsOptions"), "hostProcess") ?? getPair(get(c.workload.podSecurityContext, "windowsOptions"), "hostProcess");
      if (hostProcess && asBool(hostProcess.value) === true) {
        ctx.report({ messageId: "hostProcess", data: { container: c.label }, at: hostProcess, identity: c.label });
      }
    });
  }
};

// src/data/deprecated-apis.ts
var APPS_V1 = [{ apiVersion: "apps/v1", since: "1.9" }];
var FLOWCONTROL = [
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: "1.29" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: "1.26" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", since: "1.23" }
];
var PSA = "Pod Security Admission (pod-security.kubernetes.io/enforce namespace labels) or a policy engine such as Azure Policy for AKS";
var r = (apiVersion, kind, removedIn, replacements, deprecatedIn, instead) => ({
  apiVersion,
  kind,
  deprecatedIn: deprecatedIn ?? replacements.map((x) => x.since).sort(compareVersions)[0],
  removedIn,
  replacements,
  ...instead ? { instead } : {}
});
var DEPRECATED_APIS = [
  r("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "1.22", [
    { apiVersion: "admissionregistration.k8s.io/v1", since: "1.16" }
  ]),
  r("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "1.22", [
    { apiVersion: "admissionregistration.k8s.io/v1", since: "1.16" }
  ]),
  r("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", [{ apiVersion: "apiextensions.k8s.io/v1", since: "1.16" }]),
  r("apiregistration.k8s.io/v1beta1", "APIService", "1.22", [{ apiVersion: "apiregistration.k8s.io/v1", since: "1.10" }]),
  r("apps/v1beta1", "ControllerRevision", "1.16", APPS_V1),
  r("apps/v1beta1", "Deployment", "1.16", APPS_V1),
  r("apps/v1beta1", "ReplicaSet", "1.16", APPS_V1),
  r("apps/v1beta1", "StatefulSet", "1.16", APPS_V1),
  r("apps/v1beta2", "ControllerRevision", "1.16", APPS_V1),
  r("apps/v1beta2", "DaemonSet", "1.16", APPS_V1),
  r("apps/v1beta2", "Deployment", "1.16", APPS_V1),
  r("apps/v1beta2", "ReplicaSet", "1.16", APPS_V1),
  r("apps/v1beta2", "StatefulSet", "1.16", APPS_V1),
  r("authentication.k8s.io/v1beta1", "TokenReview", "1.22", [{ apiVersion: "authentication.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "SubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", [
    { apiVersion: "autoscaling/v2", since: "1.23" },
    { apiVersion: "autoscaling/v2beta2", since: "1.12" }
  ]),
  r("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", [{ apiVersion: "autoscaling/v2", since: "1.23" }]),
  r("batch/v1beta1", "CronJob", "1.25", [{ apiVersion: "batch/v1", since: "1.21" }]),
  r("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.22", [{ apiVersion: "certificates.k8s.io/v1", since: "1.19" }]),
  r("coordination.k8s.io/v1beta1", "Lease", "1.22", [{ apiVersion: "coordination.k8s.io/v1", since: "1.14" }]),
  r("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", [{ apiVersion: "discovery.k8s.io/v1", since: "1.21" }]),
  r("events.k8s.io/v1beta1", "Event", "1.25", [{ apiVersion: "events.k8s.io/v1", since: "1.19" }]),
  r("extensions/v1beta1", "DaemonSet", "1.16", APPS_V1),
  r("extensions/v1beta1", "Deployment", "1.16", APPS_V1),
  r("extensions/v1beta1", "Ingress", "1.22", [
    { apiVersion: "networking.k8s.io/v1", since: "1.19" },
    { apiVersion: "networking.k8s.io/v1beta1", since: "1.14" }
  ]),
  r("extensions/v1beta1", "NetworkPolicy", "1.16", [{ apiVersion: "networking.k8s.io/v1", since: "1.8" }]),
  r("extensions/v1beta1", "PodSecurityPolicy", "1.16", [{ apiVersion: "policy/v1beta1", since: "1.10" }], void 0, PSA),
  r("extensions/v1beta1", "ReplicaSet", "1.16", APPS_V1),
  r("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", FLOWCONTROL),
  r("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "1.26", FLOWCONTROL),
  r("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", FLOWCONTROL.slice(0, 2)),
  r("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29", FLOWCONTROL.slice(0, 2)),
  r("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", FLOWCONTROL.slice(0, 1)),
  r("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "1.32", FLOWCONTROL.slice(0, 1)),
  r("networking.k8s.io/v1beta1", "Ingress", "1.22", [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }]),
  r("networking.k8s.io/v1beta1", "IngressClass", "1.22", [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }]),
  r("node.k8s.io/v1beta1", "RuntimeClass", "1.25", [{ apiVersion: "node.k8s.io/v1", since: "1.20" }]),
  r("policy/v1beta1", "PodDisruptionBudget", "1.25", [{ apiVersion: "policy/v1", since: "1.21" }]),
  r("policy/v1beta1", "PodSecurityPolicy", "1.25", [], "1.21", PSA),
  r("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "Role", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", [{ apiVersion: "scheduling.k8s.io/v1", since: "1.14" }]),
  r("storage.k8s.io/v1beta1", "CSIDriver", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.19" }]),
  r("storage.k8s.io/v1beta1", "CSINode", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.17" }]),
  r("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", [{ apiVersion: "storage.k8s.io/v1", since: "1.24" }]),
  r("storage.k8s.io/v1beta1", "StorageClass", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.6" }]),
  r("storage.k8s.io/v1beta1", "VolumeAttachment", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.13" }]),
  r("v1", "Endpoints", null, [{ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", since: "1.21" }], "1.33")
];
function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i2 = 0; i2 < Math.max(pa.length, pb.length); i2++) {
    const d = (pa[i2] ?? 0) - (pb[i2] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
var BY_KEY = new Map(DEPRECATED_APIS.map((d) => [`${d.apiVersion} ${d.kind}`, d]));
function deprecatedApi(apiVersion, kind) {
  return BY_KEY.get(`${apiVersion} ${kind}`);
}

// src/rules/removed-api-version.ts
function replacementFor(d, target) {
  const served = d.replacements.filter((x) => {
    if (compareVersions(x.since, target) > 0) return false;
    const gone = deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn;
    return !gone || compareVersions(gone, target) > 0;
  });
  const pick = served[0] ?? d.replacements.find((x) => !deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn);
  if (!pick) return void 0;
  return pick.kind ? `${pick.apiVersion} ${pick.kind}` : pick.apiVersion;
}
var rule26 = {
  meta: {
    id: "removed-api-version",
    title: "Removed or deprecated Kubernetes API version",
    level: "error",
    securitySeverity: 4,
    precision: "very-high",
    description: "An object uses an apiVersion that the target Kubernetes version (kubernetesVersion) no longer serves (error) or deprecates (warning).",
    why: 'The AKS cluster practice (seed 001, "Regelmatig bijwerken naar de nieuwste versie van Kubernetes") asks you to upgrade regularly, because AKS supports only three minor versions, and warns that upgrades remove APIs your workloads depend on (as 1.16 did). A manifest with a removed apiVersion fails to apply after the upgrade, often during an incident; PodSecurityPolicy was removed in 1.25 without a replacement API, so its protection silently disappears. The table follows the upstream Kubernetes "Deprecated API Migration Guide" (src/data/deprecated-apis.ts names its sources). Set `kubernetesVersion` in .podguard.yml or pass `--kubernetes-version` to match your clusters.',
    fix: "Move to the replacement version the message names, and check the field changes the migration guide lists for it (`kubectl convert -f old.yaml --output-version apps/v1` does most of it):\n\n```yaml\napiVersion: apps/v1          # was extensions/v1beta1\nkind: Deployment\nspec:\n  selector:                  # required in apps/v1\n    matchLabels:\n      app: web\n```",
    tags: ["kubernetes", "upgrade", "aks"],
    kinds: ["kubernetes"],
    messages: {
      removed: "{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}): use {replacement}.",
      removedNoReplacement: "{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}) and has no replacement API: use {instead}.",
      deprecated: "{kind} {apiVersion} is deprecated{removal} (target {target}): use {replacement}.",
      deprecatedNoReplacement: "{kind} {apiVersion} is deprecated{removal} (target {target}) and has no replacement API: use {instead}."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const target = ctx.settings.kubernetesVersion;
    for (const obj of file.objects) {
      const d = deprecatedApi(obj.apiVersion, obj.kind);
      if (!d || compareVersions(target, d.deprecatedIn) < 0) continue;
      const removed = d.removedIn !== null && compareVersions(target, d.removedIn) >= 0;
      const replacement = replacementFor(d, target);
      const base = removed ? "removed" : "deprecated";
      const data = {
        kind: obj.kind,
        apiVersion: obj.apiVersion,
        target,
        removedIn: d.removedIn ?? "",
        removal: d.removedIn ? ` and removed in Kubernetes ${d.removedIn}` : "",
        replacement: replacement ?? "",
        instead: d.instead ?? ""
      };
      ctx.report({
        messageId: replacement ? base : `${base}NoReplacement`,
        data,
        at: getPair(obj.node, "apiVersion") ?? obj.node,
        identity: `${obj.namespace ?? ""}/${obj.label}`,
        value: `${obj.apiVersion} ${obj.kind}`,
        ...removed ? {} : { level: "warning" }
      });
    }
  }
};

// src/rules/retired-keyvault-flexvolume.ts
var rule27 = {
  meta: {
    id: "retired-keyvault-flexvolume",
    title: "Retired Key Vault FlexVolume driver",
    level: "warning",
    securitySeverity: 5,
    precision: "very-high",
    description: "A pod mounts Azure Key Vault secrets with the retired FlexVolume driver (flexVolume.driver: azure/kv).",
    why: 'The older AKS pod security guidance (seed 000) recommended the Key Vault FlexVolume driver; its newer edition (seed 003, "Azure Key Vault mit Secrets Store CSI-Treiber") replaces it with the Secrets Store CSI driver and the Azure Key Vault provider. The FlexVolume project (Azure/kubernetes-keyvault-flexvol) is archived and gets no security fixes, Kubernetes deprecated FlexVolume itself, and the driver relies on AAD pod identity or service principal secrets stored in the cluster. The CSI driver is an AKS add-on (`az aks enable-addons --addons azure-keyvault-secrets-provider`) that works with Microsoft Entra Workload ID and rotates secrets.',
    fix: "Describe the secrets once in a SecretProviderClass and mount them with the CSI driver:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-kv\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload identity client id>   # Microsoft Entra Workload ID\n    keyvaultName: my-vault\n    tenantId: <tenant id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n---\n# in the pod spec, replacing the flexVolume volume:\nvolumes:\n  - name: secrets\n    csi:\n      driver: secrets-store.csi.k8s.io\n      readOnly: true\n      volumeAttributes:\n        secretProviderClass: app-kv\n```",
    tags: ["security", "kubernetes", "secrets", "aks", "retired"],
    kinds: ["kubernetes"],
    messages: {
      flexVolume: '{workload} volume "{volume}" uses the retired Key Vault FlexVolume driver ({driver}): move to the Secrets Store CSI driver with the Azure Key Vault provider.'
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      asItems(get(w.podSpec, "volumes")).forEach((v, i2) => {
        const driverPair = getPair(get(v, "flexVolume"), "driver");
        const driver = asText(driverPair?.value);
        if (!driverPair || driver === void 0 || !/(^|\/)azure\/kv$/i.test(driver.trim())) return;
        const volume = asText(get(v, "name")) ?? `#${i2 + 1}`;
        ctx.report({
          messageId: "flexVolume",
          data: { workload: w.label, volume, driver },
          at: driverPair,
          identity: `${w.label} volume "${volume}"`
        });
      });
    });
  }
};

// src/rules/retired-pod-identity.ts
var POD_IDENTITY_KINDS = /* @__PURE__ */ new Set(["AzureIdentity", "AzureIdentityBinding", "AzurePodIdentityException", "AzureAssignedIdentity"]);
var POD_IDENTITY_GROUP = "aadpodidentity.k8s.io/";
var BINDING_LABEL = "aadpodidbinding";
var rule28 = {
  meta: {
    id: "retired-pod-identity",
    title: "Retired AAD pod identity",
    level: "warning",
    securitySeverity: 6,
    precision: "very-high",
    description: "A manifest uses AAD pod identity (aadpodidbinding labels, AzureIdentity, AzureIdentityBinding or AzurePodIdentityException objects), retired in favour of Microsoft Entra Workload ID.",
    why: `The AKS pod security guidance (seeds 000 and 003, "Verwenden verwalteter Podidentit\xE4ten") describes managed pod identities. The open-source AAD pod identity project and the AKS pod-managed identity add-on built on it are retired: no fixes since September 2023 and no support from September 2025. Its NMI component intercepts every pod's traffic to the metadata endpoint and hands out the identity to any pod that carries the right label, so a label is all it takes to impersonate a workload. Microsoft Entra Workload ID replaces it: the pod exchanges a projected service account token for an Entra token through a federated identity credential, with no node-level interception.`,
    fix: 'Create a federated service account, label the pod for Workload ID and remove the pod identity objects and labels:\n\n```yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: my-app\n  annotations:\n    azure.workload.identity/client-id: <managed identity client id>\n---\n# pod template of the workload:\nmetadata:\n  labels:\n    azure.workload.identity/use: "true"   # replaces aadpodidbinding\nspec:\n  serviceAccountName: app\n```\n\nThen federate the identity with the service account: `az identity federated-credential create --name app --identity-name <identity> --resource-group <rg> --issuer <cluster OIDC issuer URL> --subject system:serviceaccount:my-app:app`.',
    tags: ["security", "kubernetes", "identity", "aks", "retired"],
    kinds: ["kubernetes"],
    messages: {
      bindingLabel: '{workload} uses AAD pod identity (label {label}={value}): move to Microsoft Entra Workload ID (azure.workload.identity/use: "true" and a federated service account).',
      identityObject: "{object} is an AAD pod identity object ({kind}): AAD pod identity is retired; use Microsoft Entra Workload ID."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    for (const obj of file.objects) {
      if (POD_IDENTITY_KINDS.has(obj.kind) && obj.apiVersion.startsWith(POD_IDENTITY_GROUP)) {
        ctx.report({
          messageId: "identityObject",
          data: { object: obj.label, kind: obj.kind },
          at: getPair(obj.node, "kind") ?? obj.node,
          identity: `${obj.namespace ?? "default"}/${obj.label}`
        });
      }
    }
    for (const w of file.workloads) {
      const labels = asMap(get(w.podMeta, "labels"));
      const pair = getPair(labels, BINDING_LABEL);
      if (!pair) continue;
      const value = pair.value.kind === "scalar" ? pair.value.text : "";
      ctx.report({
        messageId: "bindingLabel",
        data: { workload: w.label, label: BINDING_LABEL, value },
        at: pair,
        identity: w.label,
        value
      });
    }
  }
};

// src/rules/run-as-root.ts
var WINDOWS_ADMINS = /^(containeradministrator|administrator|nt authority\\system)$/i;
function windowsUser(c) {
  return getPair(get(c.securityContext, "windowsOptions"), "runAsUserName") ?? getPair(get(c.workload.podSecurityContext, "windowsOptions"), "runAsUserName");
}
var rule29 = {
  meta: {
    id: "run-as-root",
    title: "Container may run as root",
    level: "error",
    securitySeverity: 8,
    precision: "high",
    description: "A container has neither runAsNonRoot: true nor a non-root runAsUser (pod or container level), sets runAsUser/runAsGroup 0, or (Windows) runs as ContainerAdministrator.",
    why: 'The AKS pod security practice says pods should run as a defined user or group and not as root (Microsoft, "Best practices for pod security in AKS", which sets runAsUser: 1000). A process that is root in the container is root on the node once it escapes, and most images default to root unless told otherwise.',
    fix: "Set a non-root user for the pod (or the container) and let Kubernetes verify it:\n\n```yaml\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    defaultOptions: { minUid: 1 },
    optionsSchema: {
      type: "object",
      properties: { minUid: { type: "integer", minimum: 1, description: "Lowest accepted runAsUser (the seeds use 1000)." } },
      additionalProperties: false
    },
    messages: {
      missing: "{container} may run as root: set runAsNonRoot: true or {user}.",
      rootUser: "{container} runs as root: runAsUser is 0 (set at {source} level).",
      rootGroup: "{container} runs with the root group: runAsGroup is 0 (set at {source} level).",
      lowUid: "{container} runs as UID {uid}, below the configured minimum of {minUid}.",
      nonRootFalse: "{container} sets runAsNonRoot: false and no non-root runAsUser, so it may run as root.",
      windowsAdmin: "{container} runs as the Windows administrator account {user}.",
      windowsMissing: "{container} may run as ContainerAdministrator: set windowsOptions.runAsUserName: ContainerUser or runAsNonRoot: true."
    }
  },
  check(file, ctx) {
    const minUid = Number(ctx.options.minUid ?? 1);
    forEachContainer(file, (c, w) => {
      const identity = c.label;
      const declaredLinux = asText(get(get(w.podSpec, "os"), "name"))?.toLowerCase() === "linux";
      const winUser = declaredLinux ? void 0 : windowsUser(c);
      if (winUser || isWindowsPod(w)) {
        const user2 = asText(winUser?.value);
        if (winUser && user2 && WINDOWS_ADMINS.test(user2)) {
          ctx.report({ messageId: "windowsAdmin", data: { container: c.label, user: user2 }, at: winUser, identity, value: user2 });
          return;
        }
        if (user2) return;
        if (asBool(effective(c, "runAsNonRoot")?.node) === true) return;
        ctx.report({ messageId: "windowsMissing", data: { container: c.label }, at: c.anchor, identity });
        return;
      }
      const user = effective(c, "runAsUser");
      const group = effective(c, "runAsGroup");
      const nonRoot = effective(c, "runAsNonRoot");
      const uid = asInt(user?.node);
      if (group && asInt(group.node) === 0) {
        ctx.report({ messageId: "rootGroup", data: { container: c.label, source: group.source }, at: group.pair, identity });
      }
      if (user && uid === 0) {
        ctx.report({ messageId: "rootUser", data: { container: c.label, source: user.source }, at: user.pair, identity });
        return;
      }
      if (user && uid !== void 0 && uid < minUid) {
        ctx.report({ messageId: "lowUid", data: { container: c.label, uid, minUid }, at: user.pair, identity, value: String(uid) });
        return;
      }
      if (uid !== void 0 && uid >= minUid) return;
      const nonRootValue = asBool(nonRoot?.node);
      if (nonRootValue === true) return;
      if (nonRoot && nonRootValue === false) {
        ctx.report({ messageId: "nonRootFalse", data: { container: c.label }, at: nonRoot.pair, identity });
        return;
      }
      const wanted = minUid <= 1 ? "a non-zero runAsUser" : `a runAsUser of ${minUid} or more`;
      ctx.report({ messageId: "missing", data: { container: c.label, user: wanted }, at: c.anchor, identity });
    });
  }
};

// src/secrets/heuristics.ts
function entropy(value) {
  if (value.length === 0) return 0;
  const counts = /* @__PURE__ */ new Map();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}
var PLACEHOLDER_WORDS = [
  "changeme",
  "change_me",
  "change-me",
  "changeit",
  "example",
  "placeholder",
  "redacted",
  "dummy",
  "xxxx",
  "your_",
  "your-",
  "yourpassword",
  "yoursecret",
  "replace_me",
  "replace-me",
  "replaceme",
  "insert_",
  "notasecret",
  "not-a-secret",
  "secretvalue",
  "********",
  "\u2022\u2022\u2022\u2022"
];
var KNOWN_PUBLIC_VALUES = /* @__PURE__ */ new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
]);
var EMPTY_WORDS = /* @__PURE__ */ new Set([
  "none",
  "null",
  "nil",
  "undefined",
  "empty",
  "n/a",
  "na",
  "tbd",
  "todo",
  "secret",
  "password",
  "token",
  "disabled",
  // Well-known local-development defaults: weak, but not a leaked credential.
  "postgres",
  "root",
  "admin",
  "guest",
  "test",
  "dev",
  "local",
  "localhost"
]);
function isPlaceholder(value) {
  const v = value.trim();
  if (v.length === 0) return true;
  if (KNOWN_PUBLIC_VALUES.has(v)) return true;
  const lower = v.toLowerCase();
  if (EMPTY_WORDS.has(lower)) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v) || /^%[A-Za-z0-9_]+%$/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (v.length >= 6 && new Set(v).size <= 2) return true;
  return false;
}
function isReference(value) {
  const v = value.trim();
  return /\$\{[^}]{0,256}\}/.test(v) || /\$\([^)]{0,256}\)/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || v.includes("{{") || v.includes("#{") || /^\[.*\]$/s.test(v) || /^@Microsoft\.KeyVault\(/i.test(v) || /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/i.test(v) || /^(vault|ref\+[a-z]+|secretsmanager|akv|azurekeyvault|keyvault|gcpsm|op|sops):/i.test(v) || /^projects\/[^/]+\/secrets\//.test(v);
}
function isPath(value) {
  const v = value.trim();
  return /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v) && !/\s/.test(v);
}
function urlInfo(value) {
  const m = /^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^/?#\s]*)/.exec(value.trim());
  if (!m) return { url: false, withCredentials: false };
  const authority = m[1] ?? "";
  const at = authority.lastIndexOf("@");
  return { url: true, withCredentials: at > 0 && authority.slice(0, at).includes(":") };
}
function isScalarWord(value) {
  const v = value.trim().toLowerCase();
  return /^(true|false|yes|no|on|off|y|n|enabled?|disabled?)$/.test(v) || /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(v) || /^0x[0-9a-f]+$/.test(v);
}
var STRONG_PARTS = /* @__PURE__ */ new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "apikey",
  "credential",
  "credentials",
  "pat"
]);
var WEAK_PARTS = /* @__PURE__ */ new Set(["key", "auth", "pass", "privatekey", "accesskey", "secretkey"]);
var DESCRIPTIVE_SUFFIX = /* @__PURE__ */ new Set([
  "name",
  "names",
  "path",
  "paths",
  "file",
  "files",
  "dir",
  "id",
  "ids",
  "url",
  "uri",
  "endpoint",
  "host",
  "port",
  "type",
  "mode",
  "method",
  "enabled",
  "disabled",
  "required",
  "ttl",
  "timeout",
  "expiry",
  "expiration",
  "lifetime",
  "length",
  "size",
  "header",
  "prefix",
  "format",
  "algorithm",
  "alg",
  "version",
  "ref",
  "location",
  "vault",
  "store",
  "provider",
  "issuer",
  "audience",
  "user",
  "username",
  "field",
  "policy",
  "scope",
  "scopes",
  "count",
  "source",
  "kind",
  "label",
  "env",
  "var"
]);
var partsCache = /* @__PURE__ */ new Map();
function nameParts(name) {
  let parts = partsCache.get(name);
  if (parts) return parts;
  if (partsCache.size >= 4096) partsCache.clear();
  parts = Object.freeze(splitName(name));
  partsCache.set(name, parts);
  return parts;
}
function splitName(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter((p) => p.length > 0);
}
function secretNameStrength(name) {
  const parts = nameParts(name);
  if (parts.length === 0 || parts.includes("public") || parts.includes("existing")) return void 0;
  const last = parts[parts.length - 1];
  if (DESCRIPTIVE_SUFFIX.has(last)) return void 0;
  for (let i2 = 0; i2 + 1 < parts.length; i2++) if (parts[i2] === "key" && parts[i2 + 1] === "vault") return void 0;
  let weak = false;
  for (let i2 = 0; i2 < parts.length; i2++) {
    const p = parts[i2];
    if (STRONG_PARTS.has(p)) return "strong";
    if (p === "api" && parts[i2 + 1] === "key") return "strong";
    if (WEAK_PARTS.has(p)) weak = true;
  }
  return weak ? "weak" : void 0;
}
function looksRandom(value, minLength = 12, minEntropy = 3) {
  return value.length >= minLength && !/\s/.test(value) && entropy(value) >= minEntropy;
}
function isLiteralSecret(value, strength) {
  const v = value.trim();
  if (v.length < 4 || isReference(v) || isPath(v) || isScalarWord(v) || isPlaceholder(v)) return false;
  const url = urlInfo(v);
  if (url.url) return url.withCredentials;
  if (strength === "weak") return looksRandom(v, 16, 3.2);
  return true;
}

// src/rules/secret-aci-registry-password.ts
var rule30 = {
  meta: {
    id: "secret-aci-registry-password",
    title: "ACI registry password committed",
    level: "error",
    securitySeverity: 8.5,
    precision: "very-high",
    description: "An Azure Container Instances `imageRegistryCredentials[].password` is a literal value.",
    why: "Seeds 000 and 002 say credentials stay out of code: use managed identities and Key Vault. A registry password in the container group file lets anyone with the repository pull (and, with an admin key, push) images. ACI can pull from Azure Container Registry with a managed identity, so no password is needed at all.",
    fix: 'Pull with a managed identity instead of a password:\n\n```yaml\nidentity:\n  type: UserAssigned\n  userAssignedIdentities:\n    /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull: {}\nproperties:\n  imageRegistryCredentials:\n    - server: myregistry.azurecr.io\n      identity: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull\n```\n\nOr pass the password at deploy time (`az container create --registry-password "$ACR_PASSWORD"`). Rotate the committed one.',
    tags: ["security", "secrets", "aci"],
    kinds: ["aci"],
    messages: {
      password: 'Container group "{group}" commits the password for registry "{server}" ({desc}); pull with a managed identity instead.'
    }
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    for (const cred of aciRegistryCredentials(file)) {
      const value = asText(cred.password?.value);
      if (!cred.password || value === void 0 || value.trim() === "" || isPlaceholder(value) || isReference(value)) continue;
      ctx.report({
        messageId: "password",
        data: { group: cred.group, server: cred.server ?? "(no server)", desc: describeSecret(value) },
        at: cred.password,
        identity: `${cred.group} ${cred.server ?? ""}`,
        secret: value
      });
    }
  }
};

// src/rules/secret-dockerfile-copy.ts
function keyMaterial(path) {
  const clean = path.replace(/^["']|["']$/g, "").replace(/\/+$/, "");
  const lower = clean.toLowerCase();
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  if (/^\.env($|\.|\*)/.test(base) && !/\.(example|sample|template|dist|defaults?|schema)$/.test(base)) {
    return { what: "an environment file", weak: false };
  }
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base)) return { what: "an SSH private key", weak: false };
  if (base === ".ssh") return { what: "an SSH directory", weak: false };
  if (/\.(p12|pfx)$/.test(base)) return { what: "a PKCS#12 key bundle", weak: false };
  if (/\.key$/.test(base) && !/\.pub\.key$/.test(base)) return { what: "a private key file", weak: false };
  if (/\.pem$/.test(base) && !/(cert|crt|^ca[-_.]|[-_.]ca[-_.]|chain|bundle|pub|public|root)/.test(base)) {
    return { what: "a PEM key file", weak: false };
  }
  if (base === ".netrc" || base === ".git-credentials") return { what: "a credentials file", weak: false };
  if (base === ".npmrc" || base === ".pypirc") return { what: "a package registry config (usually holding a token)", weak: true };
  if (/(^|\/)\.docker\/config\.json$/.test(lower) || base === ".docker") return { what: "Docker registry credentials", weak: false };
  if (/(^|\/)\.aws\/credentials$/.test(lower) || base === ".aws") return { what: "AWS credentials", weak: false };
  if (/(^|\/)\.kube\/config$/.test(lower) || base === ".kube" || base === "kubeconfig") return { what: "a kubeconfig", weak: false };
  if (/(^|\/)\.azure$/.test(lower)) return { what: "Azure CLI credentials", weak: false };
  return void 0;
}
var rule31 = {
  meta: {
    id: "secret-dockerfile-copy",
    title: "Key material copied into the image",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "COPY or ADD of `.env` files, SSH keys, `*.pem`/`*.key`/`*.p12`/`*.pfx`, `.npmrc`, `.pypirc`, `.netrc`, `.docker/config.json`, `.aws/credentials` or a kubeconfig.",
    why: "Seed 002 says images carry no credentials. A copied key stays in its layer even when a later `RUN rm` deletes it, so everyone who can pull the image (or its build cache) can extract it with `docker save`. `.npmrc`/`.pypirc` are reported as warnings: they often hold only the registry URL, but a token in them ships with the image.",
    fix: "Mount the file for the one build step that needs it; it never lands in a layer:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# docker build --secret id=npmrc,src=$HOME/.npmrc .\nRUN --mount=type=ssh git clone git@github.com:org/private.git\n```\n\nAt runtime, mount secrets from Key Vault (Secrets Store CSI driver) instead of baking them in, and add the files to `.dockerignore`.",
    tags: ["security", "secrets", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      keyMaterial: '{instruction} copies {what} ("{path}") into an image layer, where anyone who pulls the image can read it.'
    }
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      const keyword = ins.getKeyword();
      if (keyword !== "COPY" && keyword !== "ADD") continue;
      const args = ins.getArguments();
      for (const arg of args.slice(0, -1)) {
        const path = arg.getValue().replace(/^\[|,$|\]$/g, "");
        if (path.startsWith("<<") || /^[a-z]+:\/\//i.test(path)) continue;
        const hit = keyMaterial(path);
        if (!hit) continue;
        ctx.report({
          messageId: "keyMaterial",
          data: { instruction: keyword, what: hit.what, path },
          at: dfRange(arg.getRange()),
          identity: `${keyword} ${path}`,
          ...hit.weak ? { level: "warning" } : {}
        });
      }
    }
  }
};

// src/rules/secret-dockerfile-run.ts
var PASSWORD_FLAG = /(?:^|\s)(?:-p|--password)(?:=|\s{1,10})(["']?)([^\s"';&|]{1,300})\1/;
var SETUPS = [
  { messageId: "dockerLogin", pattern: /\bdocker\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  { messageId: "dockerLogin", pattern: /\becho\s{1,10}(["']?)([^\s"'|]{1,300})\1\s{0,10}\|\s{0,10}docker\s{1,10}login\b[^\n;&|]{0,400}/g },
  { messageId: "azLogin", pattern: /\baz\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  {
    messageId: "awsConfigure",
    pattern: /\baws\s{1,10}configure\s{1,10}set\s{1,10}(?:[\w-]{1,40}\.)?aws_secret_access_key\s{1,10}(["']?)([^\s"';&|]{1,300})\1/g
  },
  { messageId: "registryToken", pattern: /(?:_authToken|:_auth|:_password)\s{0,3}[=\s]\s{0,3}(["']?)([^\s"';&|]{1,300})\1/g }
];
var rule32 = {
  meta: {
    id: "secret-dockerfile-run",
    title: "Credential set up in a RUN step",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "A RUN step logs in or writes a credential (`docker login -p`, `az login -p`, `aws configure set aws_secret_access_key`, `_authToken=` in an `.npmrc`) without a BuildKit secret mount.",
    why: "Seed 002 says no credentials in images. A literal in a RUN line is in the Dockerfile and the image history; a value from `ARG`/`ENV` is recorded in the image metadata too; a written `.npmrc` or `~/.docker/config.json` stays in the layer. `RUN --mount=type=secret` is the only form where the value exists just for that step.",
    fix: 'Pass the credential as a BuildKit secret, available only while the step runs:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" --location=project && npm ci && rm .npmrc\n# docker build --secret id=npm_token,env=NPM_TOKEN .\n```\n\nFor Azure, prefer a managed or workload identity (`az login --identity`) to a service principal password.',
    tags: ["security", "secrets", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      dockerLogin: "RUN logs in to a registry with {how}; use RUN --mount=type=secret.",
      azLogin: "RUN logs in to Azure with {how}; use a managed identity or RUN --mount=type=secret.",
      awsConfigure: "RUN stores an AWS secret access key in the image, from {how}; use RUN --mount=type=secret.",
      registryToken: "RUN writes a package registry token into the image, from {how}; use RUN --mount=type=secret."
    }
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    const { text, lines } = file.source;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== "RUN") continue;
      const r2 = ins.getRange();
      const start = lines.lineStart(r2.start.line + 1) + r2.start.character;
      const end = lines.lineStart(r2.end.line + 1) + r2.end.character;
      const body = text.slice(start, end);
      if (/--mount=\S{0,200}type=secret/.test(body)) continue;
      for (const { messageId, pattern, value: valueIn } of SETUPS) {
        for (const m of body.matchAll(new RegExp(pattern.source, pattern.flags))) {
          const value = (valueIn ? valueIn.exec(m[1] ?? "")?.[2] : m[2]) ?? "";
          if (!value || isPlaceholder(value)) continue;
          const variable = /^\$/.test(value);
          const how = variable ? `the build variable ${value} (kept in the image history)` : `a literal credential (${describeSecret(value)})`;
          const at = lines.range(start + m.index, start + m.index + m[0].length);
          ctx.report({
            messageId,
            data: { how },
            at,
            identity: `${messageId} ${variable ? value : ""}`,
            ...variable ? { value } : { secret: value }
          });
        }
      }
    }
  }
};

// src/rules/secret-env-literal.ts
function literalSecret(name, value) {
  if (value === void 0) return false;
  const strength = secretNameStrength(name);
  return strength !== void 0 && isLiteralSecret(value, strength);
}
var rule33 = {
  meta: {
    id: "secret-env-literal",
    title: "Secret-named variable with a literal value",
    level: "error",
    securitySeverity: 8,
    precision: "high",
    description: "A password, token, key or credential variable is set to a literal value: Kubernetes `env[].value` and ConfigMap `data`, ACI `environmentVariables` (`value`, and literal `secureValue`), compose `environment:`, Dockerfile `ENV` and `ARG` defaults.",
    why: "Seeds 000 and 002 say credentials never live in code or images. A literal in a manifest is readable by everyone with the repository; a Dockerfile `ENV` or `ARG` value is baked into the image layers and its history (`docker history` shows it). An ACI `secureValue` is hidden by the API, but a literal one is still committed to git. Names are matched as whole parts, BuildKit style (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`; not `PUBLIC_KEY`, `KEY_VAULT_NAME` or `SECRET_NAME`); references (`$(VAR)`, `${VAR}`, `{{ }}`), paths such as `/run/secrets/db`, URLs without credentials, booleans, numbers and placeholders are ignored.",
    fix: "Kubernetes: reference a Secret (synced from Key Vault by the Secrets Store CSI driver) instead of a literal:\n\n```yaml\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: db-password\n```\n\nAzure Container Instances: pass a `secureValue` at deploy time (`az container create --secure-environment-variables DB_PASSWORD=$DB_PASSWORD`, or a Key Vault reference in a Bicep/ARM parameter), never in the committed file.\n\ndocker-compose: `environment: [DB_PASSWORD]` (taken from the shell) or a `secrets:` file outside git.\n\nDockerfile: use a BuildKit secret during the build and runtime configuration afterwards:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n\nThen rotate the credential: it is in the git history.",
    tags: ["security", "secrets"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      kubernetes: '{container} sets env "{name}" to a literal value ({desc}); use valueFrom.secretKeyRef.',
      configMap: '{object} data key "{name}" holds a literal secret ({desc}); ConfigMaps are plain configuration: use a Secret synced from Key Vault.',
      aciValue: '{container} sets environment variable "{name}" to a literal value ({desc}); use a secureValue passed at deploy time.',
      aciSecureValue: '{container} commits the secureValue of "{name}" ({desc}): secure in the API, but readable in git; pass it at deploy time.',
      compose: '{service} sets environment "{name}" to a literal value ({desc}); take it from the shell or a secrets file.',
      dockerEnv: "ENV {name} bakes a literal secret into the image ({desc}); use RUN --mount=type=secret.",
      dockerArg: "ARG {name} has a literal secret default ({desc}); build arguments stay in the image history: use RUN --mount=type=secret."
    }
  },
  check(file, ctx) {
    const report = (messageId, at, name, value, data) => {
      const inner = /^(["']).+\1$/s.test(value) ? value.slice(1, -1) : void 0;
      ctx.report({
        messageId,
        data: { name, desc: describeSecret(inner ?? value), ...data },
        at,
        identity: `${data.container ?? data.service ?? data.object ?? ""} ${name}`,
        secret: value,
        ...inner ? { secretForms: [inner] } : {}
      });
    };
    if (isDockerFile(file)) {
      checkDockerfile(file.model.ast.getInstructions(), ctx);
      return;
    }
    if (!isYamlFile(file)) return;
    if (file.kind === "kubernetes") {
      for (const obj of file.objects) {
        if (obj.kind !== "ConfigMap") continue;
        for (const pair of asMap(get(obj.node, "data"))?.pairs ?? []) {
          const value = asText(pair.value);
          if (value !== void 0 && literalSecret(pair.keyText, value))
            report("configMap", pair, pair.keyText, value, { object: obj.label });
        }
      }
      forEachContainer(file, (c) => {
        for (const e of asItems(get(c.node, "env"))) {
          const name = asText(get(e, "name"));
          const valuePair = getPair(e, "value");
          if (!name || !valuePair) continue;
          const value = asText(valuePair.value);
          if (value !== void 0 && literalSecret(name, value)) report("kubernetes", valuePair, name, value, { container: c.label });
        }
      });
    } else if (file.kind === "compose") {
      for (const svc of composeServices(file)) {
        for (const e of svc.environment) {
          if (e.value !== void 0 && literalSecret(e.name, e.value)) report("compose", e.nameAt, e.name, e.value, { service: svc.label });
        }
      }
    } else {
      for (const c of aciContainers(file)) {
        for (const e of c.environment) {
          const secure = asText(e.secureValue?.value);
          if (e.secureValue && secure !== void 0 && secure.trim() !== "" && !isPlaceholder(secure) && !isReference(secure)) {
            report("aciSecureValue", e.secureValue, e.name, secure, { container: c.label });
          }
          const plain = asText(e.value?.value);
          if (e.value && plain !== void 0 && literalSecret(e.name, plain))
            report("aciValue", e.value, e.name, plain, { container: c.label });
        }
      }
    }
  }
};
function checkDockerfile(instructions, ctx) {
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    let props;
    if (keyword === "ENV") props = ins.getProperties();
    else if (keyword === "ARG") props = [ins.getProperty()].filter((p) => p !== null);
    else continue;
    for (const p of props) {
      const name = p.getName();
      const value = p.getValue();
      const nameRange = p.getNameRange();
      const valueRange = p.getValueRange();
      if (!name || value === null || !valueRange || !literalSecret(name, value)) continue;
      ctx.report({
        messageId: keyword === "ENV" ? "dockerEnv" : "dockerArg",
        data: { name, desc: describeSecret(value) },
        at: dfRange({ start: nameRange.start, end: valueRange.end }),
        identity: `${keyword} ${name}`,
        secret: value
      });
    }
  }
}

// src/secrets/marvin32.ts
function rotl(x, n) {
  return (x << n | x >>> 32 - n) >>> 0;
}
function marvinState(data, seed) {
  let lo = Number(seed & 0xffffffffn) >>> 0;
  let hi = Number(seed >> 32n & 0xffffffffn) >>> 0;
  const mix = () => {
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 20);
    lo = lo + hi >>> 0;
    hi = rotl(hi, 9);
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 27);
    lo = lo + hi >>> 0;
    hi = rotl(hi, 19);
  };
  const n = data.length;
  let i2 = 0;
  for (; i2 + 4 <= n; i2 += 4) {
    lo = lo + (data[i2] | data[i2 + 1] << 8 | data[i2 + 2] << 16 | data[i2 + 3] << 24) >>> 0;
    mix();
  }
  let last = 128 << (n - i2) * 8;
  for (let k = 0; i2 + k < n; k++) last |= data[i2 + k] << k * 8;
  lo = lo + (last >>> 0) >>> 0;
  mix();
  mix();
  return [lo, hi];
}
function marvin32(data, seed) {
  const [lo, hi] = marvinState(data, seed);
  return (lo ^ hi) >>> 0;
}
function seedFromName(name) {
  let seed = 0n;
  for (const ch of name) seed = seed << 8n | BigInt(ch.charCodeAt(0) & 255);
  return seed;
}

// src/secrets/detectors.ts
function regexDetector(spec) {
  if (!spec.pattern.global) throw new Error(`detector ${spec.id}: pattern must be global`);
  const detector = {
    id: spec.id,
    label: spec.label,
    keywords: spec.keywords,
    level: spec.level,
    precision: spec.precision,
    messages: { [spec.id]: spec.message ?? `${spec.label} in plaintext ({desc}).` },
    pattern: spec.pattern,
    find(text) {
      const out = [];
      if (spec.textTest && !spec.textTest(text)) return out;
      const re = new RegExp(spec.pattern.source, spec.pattern.flags);
      for (const m of text.matchAll(re)) {
        const value = m[spec.group ?? 0];
        if (value === void 0 || value.length === 0) continue;
        const offsetInMatch = spec.group ? m[0].indexOf(value) : 0;
        const start = m.index + offsetInMatch;
        if (isPlaceholder(value) || isReference(value)) continue;
        if (spec.minEntropy !== void 0 && entropy(value) < spec.minEntropy) continue;
        if (spec.accept && !spec.accept(value)) continue;
        out.push({
          detector,
          messageId: spec.id,
          label: spec.label,
          value,
          start,
          end: start + value.length,
          level: spec.level,
          precision: spec.precision,
          verified: false
        });
      }
      return out;
    }
  };
  return detector;
}
var s = (...names) => names.map(seedFromName);
var MESSAGING = s("Send0000", "Listen00", "Manage00", "System00", "Unknown0");
var AZURE_KEY_KINDS = [
  { signature: "+ASt", seeds: s("Default0"), messageId: "azureStorageKey", label: "Azure Storage account key" },
  {
    signature: "ACDb",
    seeds: s("MastRO00", "MastRW00", "SysAll00", "Resour00", "SystRO00", "SystRW00", "Encryp00"),
    messageId: "azureCosmosKey",
    label: "Azure Cosmos DB key"
  },
  { signature: "+ASb", seeds: MESSAGING, messageId: "azureServiceBusKey", label: "Azure Service Bus key" },
  { signature: "+AEh", seeds: MESSAGING, messageId: "azureEventHubKey", label: "Azure Event Hubs key" },
  { signature: "+ARm", seeds: MESSAGING, messageId: "azureRelayKey", label: "Azure Relay key" },
  { signature: "+ACR", seeds: s("ACRDflt0"), messageId: "azureContainerRegistryKey", label: "Azure Container Registry key" },
  { signature: "AzFu", seeds: s("Functi00", "System00", "Master00"), messageId: "azureFunctionKey", label: "Azure Functions key" },
  { signature: "AzSe", seeds: s("Query000", "PAdmin00"), messageId: "azureSearchKey", label: "Azure AI Search key" },
  {
    signature: "APIM",
    seeds: s("Tenant00", "IoTHub00", "Gatewy00", "GitKey00"),
    messageId: "azureApimKey",
    label: "Azure API Management key"
  },
  { signature: "AzCa", seeds: s("Access00"), messageId: "azureRedisKey", label: "Azure Cache for Redis key" },
  { signature: "AZEG", seeds: s("Default0"), messageId: "azureEventGridKey", label: "Azure Event Grid key" },
  { signature: "+ABa", seeds: s("AbAcct00"), messageId: "azureBatchKey", label: "Azure Batch key" },
  { signature: "AIoT", seeds: s("IoTHub00", "DpsKey00", "Device00"), messageId: "azureIotKey", label: "Azure IoT key" },
  { signature: "+AMC", seeds: s("Classic0"), messageId: "azureMlKey", label: "Azure ML web service key" }
];
var KINDS_BY_SIGNATURE = new Map(AZURE_KEY_KINDS.map((k) => [k.signature, k]));
function base64Bytes(text) {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
function verifyAzureKey(token) {
  const trimmed = token.replace(/=+$/, "");
  if (trimmed.length < 32 || trimmed.length > 120) return void 0;
  const kind = KINDS_BY_SIGNATURE.get(trimmed.slice(-10, -6));
  if (!kind) return void 0;
  const bytes = base64Bytes(trimmed);
  if (bytes.length < 24) return void 0;
  const urlSafe = /[-_]/.test(trimmed);
  if (Buffer.from(bytes).toString(urlSafe ? "base64url" : "base64").replace(/=+$/, "") !== trimmed)
    return void 0;
  const body = bytes.subarray(0, bytes.length - 4);
  const expected = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(bytes.length - 4);
  for (const seed of kind.seeds) if (marvin32(body, seed) === expected) return kind;
  return void 0;
}
var azureIdentifiable = {
  id: "azureIdentifiableKey",
  label: "Azure identifiable key",
  keywords: [...new Set(AZURE_KEY_KINDS.map((k) => k.signature.toLowerCase()))],
  level: "error",
  precision: "very-high",
  messages: Object.fromEntries(AZURE_KEY_KINDS.map((k) => [k.messageId, `${k.label}, checksum verified ({desc}).`])),
  find(text) {
    const out = [];
    for (const m of text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,120}={0,2}/g)) {
      const kind = verifyAzureKey(m[0]);
      if (!kind) continue;
      out.push({
        detector: azureIdentifiable,
        messageId: kind.messageId,
        label: kind.label,
        value: m[0],
        start: m.index,
        end: m.index + m[0].length,
        level: "error",
        precision: "very-high",
        verified: true
      });
    }
    return out;
  }
};
var privateKey = {
  id: "privateKey",
  label: "private key",
  keywords: ["private key"],
  level: "error",
  precision: "very-high",
  messages: { privateKey: "Private key block ({label}) in plaintext ({desc})." },
  find(text) {
    const out = [];
    const begin = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g;
    let m;
    while ((m = begin.exec(text)) !== null) {
      const endMarker = `-----END ${m[1]}-----`;
      const end = text.indexOf(endMarker, begin.lastIndex);
      if (end < 0) break;
      const body = text.slice(begin.lastIndex, end).replace(/\\[nr]/g, "").replace(/^[A-Za-z-]+:.*$/gm, "").replace(/[\s"',|+]/g, "");
      begin.lastIndex = end + endMarker.length;
      if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || isPlaceholder(body) || entropy(body) < 4.5) continue;
      out.push({
        detector: privateKey,
        messageId: "privateKey",
        label: m[1].toLowerCase(),
        value: text.slice(m.index, end + endMarker.length),
        start: m.index,
        end: end + endMarker.length,
        level: "error",
        precision: "very-high",
        verified: false
      });
    }
    return out;
  }
};
var B64 = "A-Za-z0-9+/";
var DETECTORS = [
  azureIdentifiable,
  privateKey,
  regexDetector({
    id: "azureAnnotatedKey",
    label: "Azure common annotated key (Azure OpenAI, AI services, Azure DevOps)",
    keywords: ["jqqj9"],
    level: "error",
    precision: "very-high",
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?(?![A-Za-z0-9])/g
  }),
  regexDetector({
    id: "entraClientSecret",
    label: "Microsoft Entra ID client secret",
    keywords: ["8q~", "7q~"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "azureStorageLegacyKey",
    label: "Azure Storage or Cosmos DB account key",
    keywords: ["accountkey"],
    level: "error",
    precision: "high",
    pattern: new RegExp(`AccountKey\\s{0,3}=\\s{0,3}([${B64}]{86}==)(?![${B64}=])`, "gi"),
    group: 1,
    minEntropy: 4.5
  }),
  regexDetector({
    id: "azureSharedAccessKey",
    label: "Azure Service Bus / Event Hubs shared access key",
    keywords: ["sharedaccesskey"],
    level: "error",
    precision: "high",
    pattern: new RegExp(`SharedAccessKey\\s{0,3}=\\s{0,3}([${B64}]{43}=)(?![${B64}=])`, "gi"),
    group: 1,
    minEntropy: 4
  }),
  regexDetector({
    id: "sasToken",
    label: "Azure shared access signature (SAS) token",
    keywords: ["sig="],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9])sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,90}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9%])/g,
    group: 1,
    minEntropy: 4,
    // A signature alone is often a docs sample; `sv=` (the SAS version) makes it a real token.
    textTest: (text) => /(?:^|[?&;\s"'])sv=\d{4}-\d{2}-\d{2}/.test(text)
  }),
  regexDetector({
    id: "githubToken",
    label: "GitHub token",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "gitlabToken",
    label: "GitLab token",
    keywords: ["glpat-", "glrt-", "gldt-", "glptt-", "glcbt-", "gloas-"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])(?:glpat|glrt|gldt|glptt|glcbt|gloas)-[A-Za-z0-9_.-]{20,80}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2
  }),
  regexDetector({
    id: "slackWebhook",
    label: "Slack webhook URL",
    keywords: ["hooks.slack.com"],
    level: "error",
    precision: "high",
    // The path after the fixed host and kind is the credential.
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/]{20,120})(?![A-Za-z0-9_/])/g,
    group: 1,
    accept: (v) => /[A-Za-z0-9]{20,}$/.test(v)
  }),
  regexDetector({
    id: "slackToken",
    label: "Slack token",
    keywords: ["xox"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9-])xox[abposre]-(?:\d{1,14}-){0,3}[A-Za-z0-9-]{10,120}(?![A-Za-z0-9-])/g,
    minEntropy: 3
  }),
  regexDetector({
    id: "npmToken",
    label: "npm access token",
    keywords: ["npm_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "pypiToken",
    label: "PyPI API token",
    keywords: ["pypi-ageichlwas5vcmc"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}(?![A-Za-z0-9_-])/g
  }),
  regexDetector({
    id: "dockerHubToken",
    label: "Docker Hub personal access token",
    keywords: ["dckr_pat_", "dckr_oat_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2
  }),
  regexDetector({
    id: "awsAccessKeyId",
    label: "AWS access key id",
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    minEntropy: 3
  }),
  regexDetector({
    id: "awsSecretKey",
    label: "AWS secret access key",
    keywords: ["aws_secret", "awssecret", "secret_access_key", "secretaccesskey", "aws-secret"],
    level: "error",
    precision: "high",
    pattern: new RegExp(
      `(?:(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret[_.-]?key)["']?\\s{0,4}[:=]\\s{0,4}["']?([${B64}]{40})(?![${B64}=])`,
      "gi"
    ),
    group: 1,
    minEntropy: 4
  }),
  regexDetector({
    id: "gcpApiKey",
    label: "Google Cloud API key",
    keywords: ["aiza"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "gcpServiceAccount",
    label: "Google Cloud service account key (JSON)",
    keywords: ["private_key_id"],
    level: "error",
    precision: "high",
    pattern: /\\?"private_key_id\\?"\s{0,4}:\s{0,4}\\?"([a-f0-9]{40})\\?"/g,
    group: 1,
    textTest: (text) => text.includes("service_account")
  }),
  regexDetector({
    id: "connectionStringPassword",
    label: "connection string password",
    keywords: ["password=", "pwd=", "password =", "pwd ="],
    level: "warning",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9_])(?:Password|Pwd)\s{0,3}=\s{0,3}([^;"'\s&]{4,200})/gi,
    group: 1,
    // Only in a connection string: server/user/database keys and `;` separators in the same text.
    textTest: (text) => text.includes(";") && /(?:server|data source|host|user id|uid|database|initial catalog|address)\s{0,3}=/i.test(text)
  }),
  regexDetector({
    id: "urlCredentials",
    label: "URL with embedded password",
    keywords: ["://"],
    level: "warning",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"<>]{1,128}:([^\s/?#@'"<>]{3,256})@[A-Za-z0-9[]/g,
    group: 1
  }),
  regexDetector({
    id: "jwt",
    label: "JSON Web Token",
    keywords: ["eyj"],
    level: "note",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_-])/g
  })
];
var TOKEN_MESSAGES = Object.assign({}, ...DETECTORS.map((d) => d.messages));
var KEYWORD_OWNERS = /* @__PURE__ */ new Map();
DETECTORS.forEach((d, i2) => {
  for (const k of d.keywords) KEYWORD_OWNERS.set(k, [...KEYWORD_OWNERS.get(k) ?? [], i2]);
});
var LONGEST_KEYWORD = Math.max(...[...KEYWORD_OWNERS.keys()].map((k) => k.length));
var ANY_KEYWORD = new RegExp([...KEYWORD_OWNERS.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
function detectorsWithKeywords(text) {
  const present = new Array(DETECTORS.length).fill(false);
  ANY_KEYWORD.lastIndex = 0;
  for (let m = ANY_KEYWORD.exec(text); m; m = ANY_KEYWORD.exec(text)) {
    const window = text.slice(m.index, m.index + LONGEST_KEYWORD).toLowerCase();
    for (const [k, owners] of KEYWORD_OWNERS) if (window.startsWith(k)) for (const i2 of owners) present[i2] = true;
    ANY_KEYWORD.lastIndex = m.index + 1;
  }
  return present;
}
function findTokens(text, only) {
  const present = detectorsWithKeywords(text);
  const all = [];
  DETECTORS.forEach((d, rank) => {
    if (only && !only(d)) return;
    if (!present[rank]) return;
    for (const m of d.find(text)) all.push({ m, rank });
  });
  all.sort((a, b) => a.m.start - b.m.start || a.rank - b.rank);
  const kept = [];
  for (const x of all) {
    const last = kept[kept.length - 1];
    if (last && x.m.start < last.m.end) {
      if (x.rank < last.rank) kept[kept.length - 1] = x;
      continue;
    }
    kept.push(x);
  }
  return kept.map((x) => x.m);
}

// src/rules/secret-kubernetes-secret.ts
function decodeBase64(text) {
  const compact = text.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return void 0;
  return Buffer.from(compact, "base64").toString("utf8");
}
function dockerAuths(json2) {
  let parsed;
  try {
    parsed = JSON.parse(json2);
  } catch {
    return [];
  }
  const auths = parsed?.auths;
  if (!auths || typeof auths !== "object") return [];
  const out = [];
  for (const [registry, entry] of Object.entries(auths)) {
    if (!entry || typeof entry !== "object") continue;
    const e = entry;
    const auth = typeof e.auth === "string" ? e.auth : void 0;
    const password = typeof e.password === "string" ? e.password : typeof e.identitytoken === "string" ? e.identitytoken : void 0;
    if (auth) {
      const decoded = decodeBase64(auth);
      const pass = decoded?.slice(decoded.indexOf(":") + 1);
      if (!pass || isPlaceholder(pass) || isReference(pass)) continue;
      out.push({ registry, secret: auth, password: pass, decoded });
    } else if (password && !isPlaceholder(password) && !isReference(password)) {
      out.push({ registry, secret: password, password });
    }
  }
  return out;
}
var rule34 = {
  meta: {
    id: "secret-kubernetes-secret",
    title: "Plaintext Kubernetes Secret committed",
    level: "error",
    securitySeverity: 9,
    precision: "high",
    description: "A `kind: Secret` manifest carries literal `data` (base64 is an encoding, not encryption) or `stringData` values, including `.dockerconfigjson` registry credentials.",
    why: "The AKS and container guidance (seeds 000 and 002) says credentials never live in code or images: keep them in Azure Key Vault and mount them with the Secrets Store CSI driver, or use workload identity so there is no secret at all. A Secret manifest in git hands every reader of the repository, every fork and every CI log the credential; its base64 `data` decodes with one command. Encrypted forms (Sealed Secrets, SOPS) and references (ExternalSecret, SecretProviderClass) are not reported.",
    fix: "Delete the Secret from git, rotate the credential, and let the cluster fetch it from Key Vault:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-secrets\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload-identity-client-id>\n    keyvaultName: my-vault\n    tenantId: <tenant-id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n  secretObjects:            # optional: sync to a Kubernetes Secret for env vars\n    - secretName: app-secrets\n      type: Opaque\n      data:\n        - objectName: db-password\n          key: password\n```\n\nOr commit only an encrypted form (SealedSecret, SOPS) or an ExternalSecret that points at the vault.",
    tags: ["security", "secrets", "kubernetes"],
    kinds: ["kubernetes"],
    messages: {
      data: '{object} data key "{key}" holds a plaintext value (base64 only encodes it; {desc}).',
      dataToken: '{object} {field} key "{key}" holds a {tokenType} in plaintext ({desc}).',
      stringData: '{object} stringData key "{key}" holds a plaintext value ({desc}).',
      dockerAuth: '{object} registry credentials for "{registry}" are committed in .dockerconfigjson ({desc}).'
    }
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    if (file.docs.some((d) => get(d.root ?? void 0, "sops") !== void 0)) return;
    for (const obj of file.objects) {
      if (obj.kind !== "Secret") continue;
      const type2 = asText(get(obj.node, "type")) ?? "Opaque";
      const report = (messageId, pair, value, forms, data) => {
        ctx.report({
          messageId,
          data: { object: obj.label, key: pair.keyText, desc: describeSecret(value), ...data },
          at: pair,
          identity: `${obj.label} ${pair.keyText}`,
          secret: value,
          secretForms: forms
        });
      };
      for (const [field, base64] of [
        ["data", true],
        ["stringData", false]
      ]) {
        const map2 = asMap(get(obj.node, field));
        if (!map2) continue;
        for (const pair of map2.pairs) {
          const raw = asText(pair.value);
          if (raw === void 0 || raw.trim() === "" || raw.startsWith("ENC[")) continue;
          const decoded = base64 ? decodeBase64(raw) ?? raw : raw;
          if (isPlaceholder(decoded) || isReference(decoded)) continue;
          const forms = decoded === raw ? [] : [decoded];
          if (pair.keyText === ".dockerconfigjson" || pair.keyText === ".dockercfg") {
            const auths = dockerAuths(decoded);
            for (const a of auths) {
              ctx.report({
                messageId: "dockerAuth",
                data: { object: obj.label, registry: a.registry, desc: describeSecret(a.password) },
                at: pair,
                identity: `${obj.label} ${a.registry}`,
                secret: raw,
                secretForms: [decoded, a.secret, a.password, ...a.decoded ? [a.decoded] : []]
              });
            }
            if (auths.length > 0 || type2 === "kubernetes.io/dockerconfigjson") continue;
          }
          const token = findTokens(decoded)[0];
          if (token) {
            report("dataToken", pair, decoded, [raw, token.value], { tokenType: token.label, field });
          } else {
            report(base64 ? "data" : "stringData", pair, decoded, base64 ? [raw] : forms, {});
          }
        }
      }
    }
  }
};

// src/rules/secret-token.ts
var rule35 = {
  meta: {
    id: "secret-token",
    title: "Credential token committed",
    level: "error",
    securitySeverity: 9,
    precision: "high",
    description: "A known credential format appears in the file: Azure identifiable keys (Marvin32 checksum verified), Entra ID client secrets, Azure annotated (JQQJ) keys, storage/Service Bus keys in connection strings, SAS tokens, private keys, AWS, GCP, GitHub, GitLab, Slack, npm, PyPI and Docker Hub tokens, passwords in connection strings and URLs, JWTs.",
    why: "Seeds 000 and 002 say no credentials in code or images: use Key Vault with the Secrets Store CSI driver and managed or workload identities. A token in a committed file is readable by everyone with access to the repository, its forks and its CI logs, and stays in the git history after deletion. Checksum-verified and provider-specific formats are errors (SARIF precision very-high/high); passwords in connection strings and URLs are warnings (medium); JWTs are notes, because many are expired or test tokens.",
    fix: 'Remove the value, **rotate it** (it stays in git history), and reference it instead:\n\n```yaml\n# Kubernetes: from a Secret synced from Key Vault by the Secrets Store CSI driver\nenv:\n  - name: STORAGE_CONNECTION_STRING\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: storage-connection-string\n```\n\nBetter still, drop the key: Azure services accept workload identity (`azure.workload.identity/use: "true"`) instead of account keys. In a Dockerfile, use `RUN --mount=type=secret,id=...`.',
    tags: ["security", "secrets"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: TOKEN_MESSAGES,
    defaultOptions: { ignoreTypes: [] },
    optionsSchema: {
      type: "object",
      properties: {
        ignoreTypes: {
          type: "array",
          items: { type: "string", enum: Object.keys(TOKEN_MESSAGES) },
          uniqueItems: true,
          description: "Token types (message ids, e.g. jwt, urlCredentials) not to report."
        }
      },
      additionalProperties: false
    }
  },
  check(file, ctx) {
    const { text, lines } = file.source;
    let from = 0;
    let to = text.length;
    const skip = [];
    if (isYamlFile(file)) {
      const doc = file.docs[0];
      const nextSeparator = (offset) => {
        const i2 = text.slice(offset).search(/^---/m);
        return i2 < 0 ? text.length : offset + i2;
      };
      if (!doc?.root) {
        if (doc && (doc.index !== 0 || nextSeparator(4) < text.length)) return;
      } else {
        from = doc.index === 0 ? 0 : text.lastIndexOf("\n---", doc.root.start) + 1;
        to = nextSeparator(doc.root.end);
      }
      for (const obj of file.objects) {
        if (obj.kind !== "Secret") continue;
        for (const field of ["data", "stringData"]) {
          const m = asMap(get(obj.node, field));
          if (m) skip.push([m.start, m.end]);
        }
      }
    }
    const ignored = new Set(Array.isArray(ctx.options.ignoreTypes) ? ctx.options.ignoreTypes : []);
    const region = text.slice(from, to);
    for (const m of findTokens(region)) {
      if (ignored.has(m.messageId)) continue;
      const start = from + m.start;
      const end = from + m.end;
      if (skip.some(([a, b]) => start >= a && end <= b)) continue;
      ctx.report({
        messageId: m.messageId,
        data: { desc: describeSecret(m.value), label: m.label },
        at: lines.range(start, end),
        identity: m.messageId,
        secret: m.value,
        level: m.level,
        properties: { precision: m.precision, tokenType: m.label, checksumVerified: m.verified }
      });
    }
  }
};

// src/rules/service-account-token-automount.ts
var STATE_KEY = "state";
var saKey = (namespace, name) => `${namespace ?? ""}/${name}`;
function stateOf3(map2) {
  let s2 = map2.get(STATE_KEY);
  if (!s2) {
    s2 = { pending: [], optedOut: /* @__PURE__ */ new Set(), declared: /* @__PURE__ */ new Set() };
    map2.set(STATE_KEY, s2);
  }
  return s2;
}
var rule36 = {
  meta: {
    id: "service-account-token-automount",
    title: "Service account token automounted",
    level: "note",
    securitySeverity: 3,
    precision: "medium",
    description: "A pod spec does not set automountServiceAccountToken: false (and its ServiceAccount, if scanned, does not either).",
    why: `By default Kubernetes mounts a token for the pod's ServiceAccount into every container. Most applications never call the Kubernetes API, but anyone who compromises the container can use that token with whatever RBAC rights the account has, or later gains. Microsoft's "Best practices for pod security in AKS" asks to limit credential exposure and to give pods only the access they need.`,
    fix: "Turn the token off for pods that do not talk to the Kubernetes API (on the pod, or on its ServiceAccount):\n\n```yaml\nspec:\n  automountServiceAccountToken: false\n```",
    tags: ["security", "kubernetes", "credentials"],
    kinds: ["kubernetes"],
    silentUnless: "A ServiceAccount with automountServiceAccountToken: false in the scanned files (same namespace and name) satisfies the rule for the pods that use it; in a changed-files scan, pods of a named ServiceAccount are judged only when that ServiceAccount is among the changed files",
    messages: {
      missing: "{workload} gets a service account token mounted ({serviceAccount}): set automountServiceAccountToken: false if it does not call the Kubernetes API.",
      enabled: "{workload} sets automountServiceAccountToken: true: every container gets a Kubernetes API token."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const state = stateOf3(ctx.state);
    for (const obj of file.objects) {
      if (obj.kind !== "ServiceAccount" || !obj.name) continue;
      state.declared.add(saKey(obj.namespace, obj.name));
      if (asBool(get(obj.node, "automountServiceAccountToken")) === false) state.optedOut.add(saKey(obj.namespace, obj.name));
    }
    forEachWorkload(file, (w) => {
      const pair = getPair(w.podSpec, "automountServiceAccountToken");
      const value = asBool(pair?.value);
      if (value === false) return;
      if (pair && value === true) {
        ctx.report({ messageId: "enabled", data: { workload: w.label }, at: pair, identity: w.label });
        return;
      }
      const serviceAccount = asText(get(w.podSpec, "serviceAccountName")) ?? asText(get(w.podSpec, "serviceAccount")) ?? "default";
      state.pending.push({
        ...spot(file.source, getPair(w.podSpec, "containers") ?? w.podSpec),
        workload: w.label,
        namespace: w.object.namespace,
        serviceAccount
      });
    });
  },
  finish(ctx) {
    const state = stateOf3(ctx.state);
    for (const p of state.pending) {
      const sa = saKey(p.namespace, p.serviceAccount);
      if (state.optedOut.has(sa)) continue;
      if (ctx.partial && p.serviceAccount !== "default" && !state.declared.has(sa)) continue;
      ctx.report({
        messageId: "missing",
        data: { workload: p.workload, serviceAccount: `ServiceAccount "${p.serviceAccount}"` },
        at: p.at,
        file: p.file,
        identity: p.workload
      });
    }
  }
};

// src/rules/suppression-without-reason.ts
var rule37 = {
  meta: {
    id: "suppression-without-reason",
    title: "Suppression without a reason",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A podguard-ignore comment or podguard.dev/ignore annotation gives no reason after `--`, so it suppresses nothing.",
    why: "A suppression is a security exception that someone will have to review later. Without the reason, a reviewer cannot tell an accepted risk from a silenced warning, so podguard only honours suppressions that say why (turn this rule off to accept reasonless ones).",
    fix: "Add the reason after ` -- `, and an expiry date when the exception is temporary:\n\n```yaml\n# podguard-ignore run-as-root until=2027-03-31 -- vendor image needs root until v2 (TICKET-123)\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      missing: 'This {form} for {rules} has no reason, so it has no effect: add " -- <why this is acceptable>".'
    },
    system: true
  },
  check() {
  }
};

// src/rules/unused-suppression.ts
var rule38 = {
  meta: {
    id: "unused-suppression",
    title: "Unused suppression",
    level: "warning",
    securitySeverity: 2,
    precision: "very-high",
    description: "A podguard-ignore comment or podguard.dev/ignore annotation names a rule that reports nothing where it applies.",
    why: "A suppression that matches nothing is stale (the problem was fixed, or it sits on the wrong line) and would silently hide the next real finding in that place. Rules that are turned off are not checked for unused suppressions.",
    fix: "Delete the suppression, or drop the rule id that no longer fires, or move the comment to the line just above the finding:\n\n```yaml\n      securityContext:\n        # podguard-ignore privileged-container -- CNI plugin needs host access\n        privileged: true\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      unused: "This {form} suppresses {rule}, but {rule} reports nothing here: remove it (or the rule id)."
    },
    system: true
  },
  check() {
  }
};

// src/rules/windows-host-process.ts
function hostProcessOf(c) {
  const eff = effective(c, "windowsOptions");
  const own = eff?.source === "container" ? getPair(eff.node, "hostProcess") : void 0;
  return own ?? podHostProcess(c.workload);
}
function podHostProcess(w) {
  return getPair(get(w.podSecurityContext, "windowsOptions"), "hostProcess");
}
var rule39 = {
  meta: {
    id: "windows-host-process",
    title: "Windows HostProcess container",
    level: "error",
    securitySeverity: 9,
    precision: "very-high",
    description: "A pod or container sets securityContext.windowsOptions.hostProcess: true.",
    why: "A Windows HostProcess container runs as a process on the Windows node, outside any container isolation, with access to the host's file system, network and (as SYSTEM or another host account) its privileges: the Windows counterpart of a privileged container. The Pod Security Standards baseline forbids it (\"HostProcess\": `spec.securityContext.windowsOptions.hostProcess` and every container's must be unset or false), and the AKS pod security practice (seed 003) asks for the least privilege a container needs. Kubernetes also requires `hostNetwork: true` for HostProcess pods, which the baseline forbids too.",
    fix: "Run the workload as a normal Windows container; if it really must manage the node, run it from a node-management pipeline instead of a pod:\n\n```yaml\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: false          # or remove the field\n      runAsUserName: ContainerUser\n  hostNetwork: false\n```",
    tags: ["security", "kubernetes", "pod-security", "windows"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostProcess: "{target} runs as a Windows HostProcess container ({source} level): it has full access to the node.",
      needsHostNetwork: "{workload} sets hostProcess: true without hostNetwork: true; the API server rejects HostProcess pods that do not use the host network."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      const podPair = podHostProcess(w);
      const seen = /* @__PURE__ */ new Set();
      const pairs2 = [...podPair ? [{ pair: podPair, c: void 0 }] : [], ...w.containers.map((c) => ({ pair: hostProcessOf(c), c }))];
      let any = false;
      for (const { pair, c } of pairs2) {
        if (!pair || asBool(pair.value) !== true) continue;
        any = true;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const podLevel = pair === podPair;
        const target = podLevel || !c ? w.label : c.label;
        ctx.report({ messageId: "hostProcess", data: { target, source: podLevel ? "pod" : "container" }, at: pair, identity: target });
      }
      const hostNet = getPair(w.podSpec, "hostNetwork");
      if (any && !(hostNet && asBool(hostNet.value) === true)) {
        ctx.report({
          messageId: "needsHostNetwork",
          data: { workload: w.label },
          at: hostNet ?? getPair(w.podSpec, "containers") ?? w.podSpec,
          identity: w.label,
          level: "note"
        });
      }
    });
  }
};

// src/rules/writable-root-filesystem.ts
var rule40 = {
  meta: {
    id: "writable-root-filesystem",
    title: "Writable root file system",
    level: "warning",
    securitySeverity: 4,
    precision: "very-high",
    description: "A container does not set readOnlyRootFilesystem: true.",
    why: "With a writable root file system an attacker who gets code execution can drop tools, replace binaries or persist changes inside the container, and the image no longer tells you what runs. Microsoft's \"Best practices for pod security in AKS\" asks for the least privileges a container needs; a read-only root is the usual hardening for that, and it makes the container's writes explicit (one `emptyDir` per place it really writes).",
    fix: "Make the root read-only and give the application explicit writable directories:\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      readOnlyRootFilesystem: true\n    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\nvolumes:\n  - name: tmp\n    emptyDir: {}\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    messages: {
      missing: "{container} has a writable root file system: set readOnlyRootFilesystem: true{hint}.",
      disabled: "{container} sets readOnlyRootFilesystem to {value}: its root file system is writable."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const field = containerField(c, "readOnlyRootFilesystem");
      if (!field) {
        ctx.report({
          messageId: "missing",
          data: { container: c.label, hint: podLevelHint(c, "readOnlyRootFilesystem") },
          at: c.anchor,
          identity: c.label
        });
        return;
      }
      if (asBool(field.value) === true) return;
      const value = field.value.kind === "scalar" ? field.value.text || "null" : field.value.kind;
      ctx.report({ messageId: "disabled", data: { container: c.label, value }, at: field, identity: c.label });
    });
  }
};

// src/rules/index.ts
var ALL_RULES = [
  rule,
  rule2,
  rule3,
  rule4,
  rule5,
  rule6,
  rule7,
  rule8,
  rule9,
  rule10,
  rule11,
  rule12,
  rule13,
  rule14,
  rule15,
  rule16,
  rule17,
  rule18,
  rule19,
  rule20,
  rule21,
  rule22,
  rule23,
  rule24,
  rule25,
  rule26,
  rule27,
  rule28,
  rule29,
  rule30,
  rule31,
  rule32,
  rule33,
  rule34,
  rule35,
  rule36,
  rule37,
  rule38,
  rule39,
  rule40
].sort((a, b) => a.meta.id < b.meta.id ? -1 : 1);

// src/suppress/apply.ts
var SUPPRESSION_RULES = [
  "suppression-without-reason",
  "expired-suppression",
  "unused-suppression",
  "invalid-suppression"
];
function scopeLines(d) {
  const s2 = d.scope;
  if (s2.kind === "file") return void 0;
  if (s2.kind === "lines") return { key: `l${s2.from}:${s2.to}`, from: s2.from, to: s2.to };
  const { start, end } = s2.range;
  return { key: `r${start.line}:${start.column}:${end.line}:${end.column}`, from: start.line, to: end.line };
}
function push2(map2, key, value) {
  const list = map2.get(key);
  if (list) list.push(value);
  else map2.set(key, [value]);
}
function indexDirectives(list, working) {
  const wide = /* @__PURE__ */ new Map();
  const lines = /* @__PURE__ */ new Map();
  const groups = /* @__PURE__ */ new Map();
  for (const d of list) {
    if (!working.has(d)) continue;
    const span = scopeLines(d);
    if (!span) {
      for (const id of new Set(d.ruleIds)) push2(wide, id, d);
      continue;
    }
    let group = groups.get(span.key);
    if (!group) {
      group = /* @__PURE__ */ new Map();
      groups.set(span.key, group);
      for (let line = span.from; line <= span.to; line++) push2(lines, line, group);
    }
    for (const id of new Set(d.ruleIds)) push2(group, id, d);
  }
  return { wide, lines, order: new Map(list.map((d, i2) => [d, i2])) };
}
function atOrAfter(p, q) {
  return p.line > q.line || p.line === q.line && p.column >= q.column;
}
function inside2(p, r2) {
  return atOrAfter(p, r2.start) && !atOrAfter(p, r2.end);
}
function identityIs(identity, label) {
  return identity === label || identity.startsWith(`${label} `);
}
function covers(d, f) {
  const s2 = d.scope;
  const at = f.range.start;
  if (s2.kind === "file") return true;
  if (s2.kind === "lines") return at.line >= s2.from && at.line <= s2.to;
  if (!inside2(at, s2.range)) return false;
  if (!s2.containers) return true;
  return s2.containers.some((c) => inside2(at, c.range) || identityIs(f.identity, c.label));
}
function formName(d) {
  if (d.form === "annotation") return `${d.text.split(":")[0]} annotation`;
  return d.form === "file comment" ? "podguard-ignore-file comment" : "podguard-ignore comment";
}
function applySuppressions(findings, directives, opts) {
  const reports = [];
  const working = /* @__PURE__ */ new Map();
  for (const [file, list] of directives) {
    for (const d of list) {
      const base = { file, range: d.range, identity: d.text };
      const form = formName(d);
      for (const p of d.problems)
        reports.push({ ...base, ruleId: "invalid-suppression", messageId: p.messageId, data: { form, ...p.data } });
      if (d.problems.length) continue;
      const rules = d.ruleIds.join(", ");
      for (const id of d.ruleIds) {
        if (!opts.knownRules.has(id))
          reports.push({ ...base, ruleId: "invalid-suppression", messageId: "unknownRule", data: { form, rule: id } });
      }
      if (d.until && opts.today > d.until) {
        reports.push({ ...base, ruleId: "expired-suppression", messageId: "expired", data: { form, rules, until: d.until } });
        continue;
      }
      if (!d.reason && opts.reasonRequired) {
        reports.push({ ...base, ruleId: "suppression-without-reason", messageId: "missing", data: { form, rules } });
        continue;
      }
      working.set(d, /* @__PURE__ */ new Set());
    }
  }
  const suppressible = new Set(SUPPRESSION_RULES);
  const indexes = /* @__PURE__ */ new Map();
  const stats = opts.stats;
  const apply = (d, f) => {
    if (stats) stats.checks++;
    if (!covers(d, f)) return;
    working.get(d).add(f.ruleId);
    f.suppression ??= { kind: "inSource", justification: d.reason || "(no reason given)" };
  };
  for (const f of findings) {
    if (suppressible.has(f.ruleId)) continue;
    const list = directives.get(f.file);
    if (!list) continue;
    let index = indexes.get(f.file);
    if (!index) indexes.set(f.file, index = indexDirectives(list, working));
    const candidates = [...index.wide.get(f.ruleId) ?? []];
    for (const group of index.lines.get(f.range.start.line) ?? []) for (const d of group.get(f.ruleId) ?? []) candidates.push(d);
    const { order } = index;
    if (candidates.length > 1) candidates.sort((a, b) => order.get(a) - order.get(b));
    for (const d of candidates) apply(d, f);
  }
  for (const [file, list] of directives) {
    for (const d of list) {
      const used = working.get(d);
      if (!used) continue;
      for (const id of d.ruleIds) {
        if (used.has(id) || !opts.knownRules.has(id) || !opts.enabledRules.has(id)) continue;
        reports.push({
          file,
          range: d.range,
          identity: `${d.text} ${id}`,
          ruleId: "unused-suppression",
          messageId: "unused",
          data: { form: formName(d), rule: id }
        });
      }
    }
  }
  return reports;
}

// src/workers.ts
import { existsSync as existsSync2 } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname as dirname2, join as join4 } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
function activeRules(plan, registry) {
  const byId = new Map(registry.map((r2) => [r2.meta.id, r2]));
  return plan.rules.map(({ id, level, options }) => {
    const rule41 = byId.get(id);
    if (!rule41) throw new Error(`rule ${id} is not registered in this build`);
    return { rule: rule41, level, ctx: { options, settings: plan.settings, state: /* @__PURE__ */ new Map(), partial: plan.partial, report: () => void 0 } };
  });
}
function systemReporter(plan, registry) {
  const byId = new Map(registry.map((r2) => [r2.meta.id, r2]));
  return (out, id, file, at, messageId, data, identity) => {
    const rule41 = byId.get(id);
    if (!rule41) throw new Error(`system rule ${id} is not registered`);
    const level = plan.systemLevels[id] ?? "off";
    if (level !== "off") out.add(rule41, level, file, { messageId, data, at, ...identity !== void 0 ? { identity } : {} });
  };
}
var WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
var MIN_FILES_PER_WORKER = 2500;
var MAX_DEFAULT_THREADS = 4;
function defaultThreads(files) {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_THREADS, Math.floor(files / MIN_FILES_PER_WORKER)));
}
function bundledWorkerScript() {
  const here = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  const script = join4(dirname2(here), "worker.js");
  return existsSync2(script) ? script : void 0;
}
function toBatches(files, threads) {
  const size = Math.max(8, Math.min(256, Math.ceil(files.length / (threads * 8))));
  const out = [];
  for (let i2 = 0; i2 < files.length; i2 += size) out.push(files.slice(i2, i2 + size));
  return out;
}
async function checkBatches(batches, checker, opts) {
  const results = new Array(batches.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const workers = opts.script && opts.threads > 1 && batches.length > 1 ? Math.min(opts.threads - 1, batches.length - 1) : 0;
  const finished = [];
  const pool = [];
  let completed = 0;
  for (let w = 0; w < workers; w++) {
    const input = { plan: opts.plan, batches, next };
    const worker = new Worker(opts.script, { workerData: input, resourceLimits: WORKER_HEAP });
    pool.push(worker);
    finished.push(
      new Promise((resolveDone) => {
        let done = false;
        worker.on("message", (m) => {
          if (m.type === "batch") results[m.index] = m.result;
          else {
            done = true;
            completed++;
            void worker.terminate().then(() => resolveDone());
          }
        });
        worker.on("error", () => void 0);
        worker.on("exit", () => {
          if (!done) resolveDone();
        });
      })
    );
  }
  try {
    for (let i2 = Atomics.add(next, 0, 1); i2 < batches.length; i2 = Atomics.add(next, 0, 1)) {
      results[i2] = checker.run(batches[i2]);
      if (workers > 0) await new Promise((r2) => setImmediate(r2));
    }
  } catch (err) {
    for (const w of pool) void w.terminate();
    throw err;
  }
  await Promise.all(finished);
  return { results: batches.map((b, i2) => results[i2] ?? checker.run(b)), threads: completed + 1 };
}

// src/engine.ts
function ruleLevel(rule41, settings) {
  const configured = settings.rules[rule41.meta.id]?.level;
  if (configured) return configured;
  if (settings.profile === "baseline" && rule41.meta.profile === "restricted") return "off";
  return rule41.meta.level;
}
function isoDay(today) {
  if (typeof today === "string") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new ConfigurationError(`today must be YYYY-MM-DD (got "${today}")`);
    return today;
  }
  return (today ?? /* @__PURE__ */ new Date()).toISOString().slice(0, 10);
}
function checkScopes(root, paths) {
  const realRoot = realpathOr(root);
  for (const p of paths) {
    const abs = resolve5(root, p);
    if (!isInside(root, abs) && !isInside(realRoot, abs)) throw new ConfigurationError(`path outside the repository: ${safeData(p)}`);
    const real2 = realpathOr(abs);
    if (!isInside(realRoot, real2)) throw new ConfigurationError(`path outside the repository: ${safeData(p)} is a symbolic link out of it`);
  }
}
function emptyScope(p) {
  return new ConfigurationError(
    `path checked nothing: ${safeData(p)} holds no Kubernetes, Dockerfile, compose or ACI file podguard checks (allow an empty scan with allow-empty / --allow-empty)`
  );
}
function exists(p) {
  try {
    return lstatSync3(p, { throwIfNoEntry: false }) !== void 0;
  } catch {
    return false;
  }
}
function realpathOr(p) {
  try {
    return realpathSync3.native(p);
  } catch {
    return resolve5(p);
  }
}
async function scan(input) {
  const started = Date.now();
  const root = resolve5(input.root);
  const rules = input.rules ?? ALL_RULES;
  const paths = input.paths && input.paths.length > 0 ? input.paths : ["."];
  checkScopes(root, paths);
  const singleDir = paths.length === 1 ? resolve5(root, paths[0]) : root;
  let settings;
  const notices = [];
  if (input.config !== void 0) settings = settingsFromObject(input.config, rules, "(inline configuration)");
  else if (input.configPath) settings = loadSettings(root, input.configPath, rules, root);
  else {
    const nested = singleDir !== root && exists(join5(singleDir, DEFAULT_CONFIG_FILE));
    const atRoot = exists(join5(root, DEFAULT_CONFIG_FILE));
    const nestedLabel = safeData(relative4(root, join5(singleDir, DEFAULT_CONFIG_FILE)).split("\\").join("/"));
    if (nested && atRoot) {
      settings = loadSettings(root, void 0, rules, root);
      notices.push(
        `${nestedLabel} is not used: the repository root's ${DEFAULT_CONFIG_FILE} applies (name it as the configuration to use it).`
      );
    } else if (nested) {
      settings = loadSettings(singleDir, void 0, rules, root);
      notices.push(`Using ${nestedLabel}: there is no ${DEFAULT_CONFIG_FILE} at the repository root.`);
    } else settings = loadSettings(root, void 0, rules, root);
  }
  for (const p of input.allowImages ?? []) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`--allow-image ${JSON.stringify(p)} ${problem}`);
    settings.allowedImages.push(p);
  }
  input.adjust?.(settings);
  const baselinePath = input.baseline === false ? void 0 : input.baseline ?? settings.baseline;
  let knownBaseline;
  if (baselinePath) {
    const abs = resolve5(root, baselinePath);
    const label = relative4(root, abs).split("\\").join("/") || baselinePath;
    knownBaseline = { label, fingerprints: readBaseline(abs, safeData(label), root, input.baseline === void 0) };
  }
  const today = isoDay(input.today);
  const plan = {
    settings,
    rules: rules.filter((r2) => !r2.meta.system).map((rule41) => ({ rule: rule41, level: ruleLevel(rule41, settings) })).filter((x) => x.level !== "off").map(({ rule: rule41, level }) => ({
      id: rule41.meta.id,
      level,
      options: { ...rule41.meta.defaultOptions ?? {}, ...settings.rules[rule41.meta.id]?.options ?? {} }
    })),
    systemLevels: Object.fromEntries(rules.filter((r2) => r2.meta.system).map((r2) => [r2.meta.id, ruleLevel(r2, settings)])),
    partial: input.changedFiles !== void 0
  };
  const active = activeRules(plan, rules);
  const systemReport = systemReporter(plan, rules);
  const systemOn = (id) => (plan.systemLevels[id] ?? "off") !== "off";
  const out = new Collector();
  const system = (id, file, at, messageId, data, identity) => systemReport(out, id, file, at, messageId, data, identity);
  const scanError = (ruleId, err) => {
    const f = sourceFile(root, ".", "");
    system("internal-error", f, f.lines.range(0, 0), "rule", { rule: ruleId, error: safeErrorText(err) });
  };
  const { candidates, issues } = await collect({ root, paths, exclude: settings.exclude, only: input.changedFiles });
  if (input.changedFiles === void 0 && input.requireChecked) {
    for (const p of paths) {
      const scope = resolve5(root, p);
      if (!candidates.some((c) => isInside(scope, resolve5(root, c.relPath)))) throw emptyScope(p);
    }
  }
  for (const issue of issues) {
    const f = sourceFile(resolve5(root, issue.relPath), issue.relPath, "");
    system("file-error", f, f.lines.range(0, 0), "skipped", { reason: issue.reason });
  }
  const threads = input.rules ? 1 : Math.max(1, Math.floor(input.threads ?? defaultThreads(candidates.length)));
  const script = input.workerScript ?? bundledWorkerScript();
  const batches = toBatches(candidates, threads);
  const checker = new FileChecker(settings, active, systemReport);
  const { results, threads: used } = await checkBatches(batches, checker, { plan, threads, script });
  const filesScanned = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
  const directives = /* @__PURE__ */ new Map();
  const templatesNotRendered = [];
  const states = new Map(active.filter((a) => a.rule.finish).map((a) => [a.rule.meta.id, /* @__PURE__ */ new Map()]));
  for (const r2 of results) {
    out.adopt(r2.findings);
    for (const secret of r2.secrets) out.redactor.add(secret);
    for (const [file, found] of r2.directives) directives.set(file, found);
    for (const t of r2.templates ?? []) templatesNotRendered.push(t);
    for (const k of FILE_KINDS) filesScanned[k] += r2.filesScanned[k];
    for (const [id, state] of r2.states) {
      try {
        mergeState(states.get(id), state);
      } catch (err) {
        scanError(id, err);
      }
    }
  }
  for (const a of active) {
    const state = states.get(a.rule.meta.id);
    if (state) a.ctx.state = state;
  }
  out.endFile();
  for (const { rule: rule41, level, ctx } of active) {
    if (!rule41.finish) continue;
    try {
      rule41.finish({
        ...ctx,
        report: (r2) => {
          if (!r2.file) throw new Error(`rule ${rule41.meta.id} reported from finish() without a file`);
          out.add(rule41, level, r2.file, r2);
        }
      });
    } catch (err) {
      scanError(rule41.meta.id, err);
    }
  }
  const known = new Set(rules.map((r2) => r2.meta.id));
  const enabled = /* @__PURE__ */ new Set([...active.map((a) => a.rule.meta.id), ...Object.keys(plan.systemLevels).filter(systemOn)]);
  const reports = applySuppressions(out.findings, directives, {
    today,
    knownRules: known,
    enabledRules: enabled,
    reasonRequired: systemOn("suppression-without-reason")
  });
  for (const r2 of reports) {
    if (!known.has(r2.ruleId)) continue;
    system(r2.ruleId, sourceFile(resolve5(root, r2.file), r2.file, ""), r2.range, r2.messageId, r2.data, r2.identity);
  }
  let baseline;
  if (knownBaseline) {
    const { label, fingerprints } = knownBaseline;
    let n = 0;
    for (const f of out.findings) {
      if (f.suppression || !fingerprints.has(f.fingerprint)) continue;
      f.baselined = true;
      n++;
    }
    baseline = { file: label, known: n };
  }
  if (input.changedFiles === void 0 && input.requireChecked && FILE_KINDS.every((k) => filesScanned[k] === 0) && templatesNotRendered.length === 0) {
    throw emptyScope(paths.join(", "));
  }
  const findings = out.findings.sort(compareFindings);
  return {
    root,
    settings,
    rules,
    enabledRules: active.map((a) => a.rule.meta.id),
    findings,
    filesScanned,
    redactor: out.redactor,
    templatesNotRendered,
    notices,
    durationMs: Date.now() - started,
    threads: used,
    ...baseline ? { baseline } : {}
  };
}
function compareFindings(a, b) {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
function countByLevel(findings) {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (!f.suppression) counts[f.baselined ? "note" : f.level]++;
  return counts;
}
function gates(f, failOn) {
  if (failOn === "never" || f.suppression || f.baselined) return false;
  return LEVEL_RANK[f.level] >= LEVEL_RANK[failOn];
}

// src/version.ts
var VERSION = "0.1.0";
var HOMEPAGE = "https://github.com/podguard/podguard";
function ruleDocUrl(id) {
  return `${HOMEPAGE}/blob/main/docs/rules/${id}.md`;
}

// src/config/init.ts
var SCHEMA_URL = `https://raw.githubusercontent.com/podguard/podguard/v${VERSION}/schema/podguard.schema.json`;
function yamlScalar(v) {
  return typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v));
}
function starterConfig(rules) {
  const width = Math.max(...rules.map((r2) => r2.meta.id.length)) + 12;
  const ruleLines = [];
  for (const r2 of [...rules].sort((a, b) => a.meta.id < b.meta.id ? -1 : 1)) {
    const m = r2.meta;
    const tag = m.profile === "restricted" ? " [restricted]" : "";
    const options = Object.entries(m.defaultOptions ?? {});
    if (options.length === 0) {
      ruleLines.push(`  # ${`${m.id}: ${m.level}`.padEnd(width)} # ${m.title}${tag}`);
      continue;
    }
    ruleLines.push(`  # ${`${m.id}:`.padEnd(width)} # ${m.title}${tag}`);
    ruleLines.push(`  #   level: ${m.level}`);
    for (const [k, v] of options) ruleLines.push(`  #   ${k}: ${yamlScalar(v)}`);
  }
  return `# yaml-language-server: $schema=${SCHEMA_URL}
# podguard configuration: ${HOMEPAGE}#tuning-podguard
# Every key is optional; a key left empty is the same as a key left out.

# Pod Security Standards level. restricted (the default) runs every rule; baseline turns off
# the rules marked [restricted] below unless you set their level here.
profile: restricted

# Per rule: off, note, warning or error, or an object with level and the rule's options.
# Each rule is listed with its default; uncomment a line to change it.
rules:
${ruleLines.join("\n")}

# Approved images (globs over image names without tag; ** spans path segments). When set, any
# other image is a finding. Denied images are checked first.
allowedImages:
  # - mcr.microsoft.com/**
  # - myregistry.azurecr.io/**
deniedImages:
  # - docker.io/library/ubuntu

# Require @sha256: digests on every image reference.
# requireDigest: true

# Paths (globs relative to the repository root) that are never scanned.
exclude:
  # - test/fixtures/**

# Known findings (podguard scan --write-baseline .podguard-baseline.json): reported as notes,
# never failing the build; only new findings gate.
# baseline: .podguard-baseline.json
`;
}

// src/report/stream.ts
var PLACEHOLDER = "\0podguard-stream\0";
function* prettyJsonChunks(doc, items) {
  const text = JSON.stringify(doc, null, 2);
  const quoted = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error("prettyJsonChunks: the document must hold PLACEHOLDER exactly once");
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const depth = /^ */.exec(text.slice(lineStart))[0].length / 2;
  const prefix = Array.from({ length: depth + 1 }, (_, i2) => `${" ".repeat(2 * i2)}[
`).join("");
  const suffix = Array.from({ length: depth + 1 }, (_, i2) => `
${" ".repeat(2 * (depth - i2))}]`).join("");
  let opened = false;
  let group = [];
  const flush = () => {
    let wrapped = group;
    for (let i2 = 0; i2 < depth; i2++) wrapped = [wrapped];
    const json2 = JSON.stringify(wrapped, null, 2);
    const body = json2.slice(prefix.length, json2.length - suffix.length);
    const out = opened ? `,
${body}` : `${text.slice(0, at)}[
${body}`;
    opened = true;
    group = [];
    return out;
  };
  for (const item of items) {
    group.push(item);
    if (group.length === 256) yield flush();
  }
  if (group.length > 0) yield flush();
  yield opened ? `
${" ".repeat(2 * depth)}]${text.slice(at + quoted.length)}` : `${text.slice(0, at)}[]${text.slice(at + quoted.length)}`;
}
function* coalesce(chunks, size = 1 << 16) {
  let buf = [];
  let n = 0;
  for (const c of chunks) {
    buf.push(c);
    n += c.length;
    if (n >= size) {
      yield buf.join("");
      buf = [];
      n = 0;
    }
  }
  if (n > 0) yield buf.join("");
}

// src/report/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
function pascal(id) {
  return id.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}
function toUri(path) {
  return path.split("/").map((s2) => encodeURIComponent(s2)).join("/");
}
function ruleHelpMarkdown(rule41) {
  const m = rule41.meta;
  const silent = m.silentUnless ? `

_${m.silentUnless}_` : "";
  return `**${m.title}** (\`${m.id}\`)

${m.description}${silent}

**Why it matters.** ${m.why}

**How to fix.** ${m.fix}

Suppress one finding (with a reason): \`# podguard-ignore ${m.id} -- <reason>\` on the line above it.`;
}
function ruleHelpText(rule41) {
  return ruleHelpMarkdown(rule41).replace(/\*\*/g, "").replace(/_([^_]+)_/g, "$1");
}
function sarifRule(rule41) {
  const m = rule41.meta;
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    helpUri: ruleDocUrl(m.id),
    help: { text: ruleHelpText(rule41), markdown: ruleHelpMarkdown(rule41) },
    defaultConfiguration: { level: m.level },
    properties: {
      tags: [.../* @__PURE__ */ new Set(["security", ...m.tags])],
      precision: m.precision,
      "security-severity": m.securitySeverity.toFixed(1),
      "problem.severity": m.level === "note" ? "recommendation" : m.level
    }
  };
}
function sarifResult(f, ruleIndex, result) {
  const res = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.baselined ? "note" : f.level,
    message: { text: result.redactor.redact(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file), uriBaseId: "%SRCROOT%" },
          region: {
            startLine: f.range.start.line,
            startColumn: f.range.start.column,
            endLine: f.range.end.line,
            endColumn: Math.max(f.range.end.column, f.range.end.line === f.range.start.line ? f.range.start.column + 1 : 1)
          }
        }
      }
    ],
    partialFingerprints: { "podguard/v1": f.fingerprint }
  };
  if (f.suppression) res.suppressions = [{ kind: f.suppression.kind, justification: result.redactor.redact(f.suppression.justification) }];
  if (f.baselined) res.baselineState = "unchanged";
  else if (result.baseline && !f.suppression) res.baselineState = "new";
  if (f.properties) res.properties = f.properties;
  return res;
}
function sarifParts(result) {
  const rules = [...result.rules].sort((a, b) => a.meta.id < b.meta.id ? -1 : 1);
  const index = new Map(rules.map((r2, i2) => [r2.meta.id, i2]));
  return {
    log: (results) => ({
      $schema: SARIF_SCHEMA,
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: "podguard",
              semanticVersion: VERSION,
              version: VERSION,
              informationUri: HOMEPAGE,
              rules: rules.map(sarifRule)
            }
          },
          automationDetails: { id: "podguard/" },
          columnKind: "utf16CodeUnits",
          results
        }
      ]
    }),
    results: function* () {
      for (const f of result.findings) yield sarifResult(f, index.get(f.ruleId) ?? -1, result);
    }
  };
}
function* sarifChunks(result) {
  const parts = sarifParts(result);
  yield* prettyJsonChunks(parts.log(PLACEHOLDER), parts.results());
  yield "\n";
}

// src/report/json.ts
function jsonFinding(f, result) {
  const red = result.redactor;
  return {
    ruleId: f.ruleId,
    messageId: f.messageId,
    level: f.baselined ? "note" : f.level,
    message: red.redact(f.message),
    file: f.file,
    line: f.range.start.line,
    column: f.range.start.column,
    endLine: f.range.end.line,
    endColumn: f.range.end.column,
    fingerprint: f.fingerprint,
    ...f.properties ? { properties: f.properties } : {},
    ...f.baselined ? { baselined: true } : {},
    ...f.suppression ? { suppressed: { kind: f.suppression.kind, justification: red.redact(f.suppression.justification) } } : {}
  };
}
function head(result, findings) {
  return {
    tool: "podguard",
    version: VERSION,
    filesScanned: result.filesScanned,
    counts: countByLevel(result.findings),
    suppressed: result.findings.filter((f) => f.suppression).length,
    baselined: result.findings.filter((f) => f.baselined && !f.suppression).length,
    findings
  };
}
function* jsonChunks(result) {
  yield* prettyJsonChunks(
    head(result, PLACEHOLDER),
    (function* () {
      for (const f of result.findings) yield jsonFinding(f, result);
    })()
  );
  yield "\n";
}

// src/report/safe-write.ts
import { closeSync as closeSync3, constants as constants3, lstatSync as lstatSync4, mkdirSync, openSync as openSync3, realpathSync as realpathSync4, renameSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname as dirname3, join as join6, resolve as resolve6 } from "node:path";
function outputRoots(workspace, env) {
  const roots = [workspace, env.RUNNER_TEMP, env.AGENT_TEMPDIRECTORY, env.BUILD_ARTIFACTSTAGINGDIRECTORY, tmpdir()];
  return roots.filter((r2) => !!r2).map((r2) => resolve6(r2));
}
function real(p) {
  try {
    return realpathSync4.native(p);
  } catch {
    return resolve6(p);
  }
}
var UnsafeOutputError = class extends Error {
};
var counter = 0;
function writeOutputFile(path, text, roots, createDirs = false) {
  const abs = resolve6(path);
  const dir = dirname3(abs);
  if (createDirs) mkdirSync(dir, { recursive: true });
  const realDir = real(dir);
  if (!roots.some((r2) => isInside(real(r2), realDir) || isInside(resolve6(r2), realDir))) {
    throw new UnsafeOutputError("it resolves outside the workspace and the runner temp directory");
  }
  const st = lstatSync4(abs, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new UnsafeOutputError("it is a directory");
  const temp = join6(realDir, `.${basename(abs)}.${process.pid}.${++counter}.podguard-tmp`);
  const fd = openSync3(temp, constants3.O_WRONLY | constants3.O_CREAT | constants3.O_EXCL | (constants3.O_NOFOLLOW ?? 0), 420);
  try {
    try {
      for (const c of typeof text === "string" ? [text] : coalesce(text)) writeSync(fd, c);
    } finally {
      closeSync3(fd);
    }
    renameSync(temp, join6(realDir, basename(abs)));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

// src/report/text.ts
var COLORS = {
  error: ["\x1B[31m", "\x1B[39m"],
  warning: ["\x1B[33m", "\x1B[39m"],
  note: ["\x1B[36m", "\x1B[39m"],
  dim: ["\x1B[2m", "\x1B[22m"],
  bold: ["\x1B[1m", "\x1B[22m"]
};
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function scannedSummary(result) {
  const parts = FILE_KINDS.filter((k) => result.filesScanned[k] > 0).map((k) => plural(result.filesScanned[k], KIND_LABEL[k]));
  return parts.length ? parts.join(", ") : "no Kubernetes, Dockerfile, compose or ACI files";
}
function scanStats(result) {
  const files = FILE_KINDS.reduce((n, k) => n + result.filesScanned[k], 0);
  return `podguard: checked ${plural(files, "file")} in ${(result.durationMs / 1e3).toFixed(1)} s on ${plural(result.threads, "thread")}`;
}
function indent(text, pad) {
  return text.split("\n").map((l) => l ? pad + l : l).join("\n");
}
function printablePath(path) {
  return safePath(path);
}
function toText(result, style = { color: false }) {
  const c = (k, s2) => style.color ? COLORS[k][0] + s2 + COLORS[k][1] : s2;
  const red = result.redactor;
  const lines = (result.notices ?? []).map((n) => `podguard: ${n}`);
  if (lines.length) lines.push("");
  const visible = result.findings.filter((f) => !f.suppression);
  const byFile = /* @__PURE__ */ new Map();
  for (const f of visible) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const rulesById = new Map(result.rules.map((r2) => [r2.meta.id, r2]));
  const idWidth = Math.max(28, ...visible.map((f) => f.ruleId.length));
  for (const [file, findings] of byFile) {
    lines.push(c("bold", printablePath(file)));
    for (const f of findings) {
      const level = f.baselined ? "note" : f.level;
      const where = `${f.range.start.line}:${f.range.start.column}`.padEnd(7);
      const tag = f.baselined ? " (baseline)" : "";
      lines.push(`  ${c("dim", where)} ${c(level, level.padEnd(7))} ${f.ruleId.padEnd(idWidth)} ${red.redact(f.message)}${tag}`);
    }
    lines.push("");
  }
  const fired = [...new Set(visible.map((f) => f.ruleId))].sort();
  if (fired.length) {
    lines.push(c("bold", "How to fix"));
    for (const id of fired) {
      const rule41 = rulesById.get(id);
      if (!rule41) continue;
      lines.push(`  ${c("bold", id)}: ${rule41.meta.title}`);
      lines.push(indent(`Why: ${rule41.meta.why}`, "    "));
      lines.push(indent(rule41.meta.fix, "    "));
      lines.push("");
    }
  }
  const counts = countByLevel(result.findings);
  const suppressed = result.findings.length - visible.length;
  const total = visible.length;
  const verdict = total === 0 ? "no problems found" : `${plural(total, "problem")} (${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.note, "note")})`;
  const known = visible.filter((f) => f.baselined).length;
  const templates = result.templatesNotRendered?.length ?? 0;
  const extras = [
    known ? `${known} known from the baseline (notes, not gating)` : "",
    suppressed ? `${suppressed} suppressed` : "",
    templates ? `${plural(templates, "Helm chart template")} not checked (not rendered)` : ""
  ].filter(Boolean).map((x) => `; ${x}`).join("");
  lines.push(`podguard: ${verdict} in ${scannedSummary(result)}${extras}.`);
  return `${lines.join("\n")}
`;
}

// src/platform/options.ts
var MAX_THREADS = 16;
function parseThreads(raw, name) {
  const value = (raw ?? "").trim();
  if (value === "") return void 0;
  if (!/^[1-9]\d?$/.test(value) || Number(value) > MAX_THREADS) {
    throw new ConfigurationError(`${name} must be a whole number from 1 to ${MAX_THREADS} (got "${value.slice(0, 20)}")`);
  }
  return Number(value);
}

// src/platform/cli.ts
var USAGE = `podguard ${VERSION}: stops insecure container configuration before it merges

Usage:
  podguard scan [PATH...] [options]   scan files or directories (default ".")
  podguard rules                      list every rule: id, default level, description
  podguard init [FILE] [--force]      write a commented starter .podguard.yml (never overwrites without --force)
  podguard --version | --help

Scan options:
  --config FILE          configuration file (default: .podguard.yml in the scanned directory or root)
  --sarif FILE           also write SARIF 2.1.0 to FILE
  --format FORMAT        text (default), json or sarif, written to stdout
  --fail-on LEVEL        error (default), warning, note or never: exit 1 at or above it
  --allow-image PATTERN  approved image pattern, repeatable (e.g. 'mcr.microsoft.com/**')
  --changed-since REF    only files changed between REF and the working tree (git)
  --baseline FILE        known findings (default: baseline in the configuration): reported as notes, never gating
  --write-baseline FILE  record every current finding in FILE (sorted JSON), then report them as baselined
  --kubernetes-version V target Kubernetes version for removed-API checks (e.g. 1.34)
  --threads N            threads to check files on (default: one per CPU up to 4, for scans of 5,000+ files; 1 = no workers)
  --allow-empty          pass when a named path holds no file podguard checks (default: exit 2)
  --debug                stack traces for internal errors; how the scan ran (files, time, threads) on stderr
  --no-color             plain text output

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.
`;
var FAIL_ON = ["error", "warning", "note", "never"];
var FORMATS = ["text", "json", "sarif"];
var KUBERNETES_VERSION = /^1\.\d+$/;
function writeUserFile(path, name, text, roots) {
  try {
    writeOutputFile(path, text, roots);
  } catch (err) {
    throw new ConfigurationError(`cannot write ${name} (${err.code ?? err.message})`);
  }
}
function oneOf(name, value, allowed, fallback) {
  if (value === void 0) return fallback;
  if (allowed.includes(value)) return value;
  throw new ConfigurationError(`${name} must be one of ${allowed.join(", ")} (got "${value}")`);
}
function rulesListing() {
  const width = Math.max(30, ...ALL_RULES.map((r2) => r2.meta.id.length + 1));
  const rows = ALL_RULES.map((r2) => {
    const note = r2.meta.silentUnless ? ` (${r2.meta.silentUnless})` : "";
    return `${r2.meta.id.padEnd(width)} ${r2.meta.level.padEnd(8)} ${r2.meta.description}${note}`;
  });
  return `${"RULE".padEnd(width)} ${"LEVEL".padEnd(8)} DESCRIPTION
${rows.join("\n")}
`;
}
async function runScan(args, io, debug, jsonOut) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: "string" },
      sarif: { type: "string" },
      format: { type: "string" },
      "fail-on": { type: "string" },
      "allow-image": { type: "string", multiple: true },
      "changed-since": { type: "string" },
      baseline: { type: "string" },
      "write-baseline": { type: "string" },
      "kubernetes-version": { type: "string" },
      threads: { type: "string" },
      "allow-empty": { type: "boolean" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" }
    }
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = oneOf("--format", values.format, FORMATS, "text");
  const failOn = oneOf("--fail-on", values["fail-on"], FAIL_ON, "error");
  const root = io.cwd;
  const k8sVersion = values["kubernetes-version"];
  if (k8sVersion !== void 0 && !KUBERNETES_VERSION.test(k8sVersion)) {
    throw new ConfigurationError(`--kubernetes-version must be a minor version such as 1.34 (got "${k8sVersion}")`);
  }
  const threads = parseThreads(values.threads, "--threads");
  let changedFiles;
  if (values["changed-since"] !== void 0) {
    try {
      changedFiles = await changedSince(values["changed-since"], root);
    } catch (err) {
      throw new ConfigurationError(err.message);
    }
  }
  const result = await scan({
    root,
    paths: positionals.length ? positionals : ["."],
    configPath: values.config,
    allowImages: values["allow-image"] ?? [],
    changedFiles,
    requireChecked: !values["allow-empty"],
    ...threads !== void 0 ? { threads } : {},
    // A baseline is being (re)written from scratch: applying the old one would change nothing.
    ...values["write-baseline"] !== void 0 ? { baseline: false } : values.baseline !== void 0 ? { baseline: values.baseline } : {},
    ...k8sVersion !== void 0 ? { adjust: (s2) => void (s2.kubernetesVersion = k8sVersion) } : {}
  });
  if (debug) io.stderr(`${scanStats(result)}
`);
  const writeTo = values["write-baseline"];
  if (writeTo !== void 0) {
    if (changedFiles) throw new ConfigurationError("--write-baseline needs a full scan: drop --changed-since");
    writeUserFile(
      resolve7(root, writeTo),
      writeTo,
      baselineText(result.findings, (t) => result.redactor.redact(t)),
      outputRoots(root, io.env)
    );
    const written = new Set(baselineEntries(result.findings).map((e) => e.fingerprint));
    for (const f of result.findings) if (written.has(f.fingerprint)) f.baselined = true;
    io.stderr(`podguard: wrote ${written.size} finding${written.size === 1 ? "" : "s"} to ${writeTo}
`);
  }
  if (values.sarif) writeUserFile(resolve7(root, values.sarif), values.sarif, sarifChunks(result), outputRoots(root, io.env));
  const color = io.isTTY && !values["no-color"] && io.env.NO_COLOR === void 0;
  if (format === "json") for (const c of coalesce(jsonChunks(result))) jsonOut(c);
  else if (format === "sarif") for (const c of coalesce(sarifChunks(result))) jsonOut(c);
  else io.stdout(toText(result, { color }));
  return result.findings.some((f) => gates(f, failOn)) ? 1 : 0;
}
function runInit(args, io) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { force: { type: "boolean" } } });
  if (positionals.length > 1) throw new ConfigurationError("init takes at most one file name");
  const name = positionals[0] ?? DEFAULT_CONFIG_FILE;
  const path = resolve7(io.cwd, name);
  if (existsSync3(path) && !values.force) throw new ConfigurationError(`${name} already exists; use --force to overwrite it`);
  writeUserFile(path, name, starterConfig(ALL_RULES), outputRoots(io.cwd, io.env));
  io.stdout(`podguard: wrote ${name} (every rule listed with its default level; edit and commit it)
`);
  return 0;
}
async function runCli(argv, rawIo) {
  const io = { ...rawIo, stdout: (t) => rawIo.stdout(safeLines(t)), stderr: (t) => rawIo.stderr(safeLines(t)) };
  const jsonOut = (t) => rawIo.stdout(safeJsonLines(t));
  const [command, ...rest] = argv;
  const debug = rest.includes("--debug") || io.env.PODGUARD_DEBUG === "1";
  const args = rest.filter((a) => a !== "--debug");
  try {
    if (command === void 0 || command === "--help" || command === "-h" || command === "help") {
      io.stdout(USAGE);
      return command === void 0 ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      io.stdout(`${VERSION}
`);
      return 0;
    }
    if (command === "rules") {
      io.stdout(rulesListing());
      return 0;
    }
    if (command === "scan") return await runScan(args, io, debug, jsonOut);
    if (command === "init") return runInit(args, io);
    throw new ConfigurationError(`unknown command "${command}" (expected scan, rules or init; see podguard --help)`);
  } catch (err) {
    if (err instanceof ConfigurationError || err.code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`podguard: ${err.message}
`);
      return 2;
    }
    const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
    io.stderr(
      `podguard: internal error: ${safeErrorText(err)}
${debug ? `${frames.join("\n")}
` : "Run again with --debug for the stack trace.\n"}`
    );
    return 2;
  }
}

// src/entry/cli.ts
var code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true
});
process.exitCode = code;
