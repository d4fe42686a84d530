package org.clusterdns.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read as Docker reads it, enough to check it without Docker: line continuations
 * joined, comments dropped, one instruction per line, grouped into build stages.
 *
 * @param directives the parser directives at the top ({@code # syntax=...}), as written
 * @param stages the build stages, in order
 */
record Dockerfile(List<String> directives, List<Stage> stages) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword in upper case and the rest of the line. */
  record Instruction(String keyword, String arguments) {
    /** Returns the arguments in exec form ({@code ["a", "b"]}); fails for the shell form. */
    List<String> execForm() {
      try {
        return JSON.readValue(arguments, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new AssertionError(keyword + " is not in exec form: " + arguments, e);
      }
    }
  }

  /** One build stage: {@code FROM image [AS name]} and the instructions after it. */
  record Stage(String image, Optional<String> name, List<Instruction> instructions) {
    /** Returns the stage's instructions with {@code keyword}, in order. */
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    /** Returns the last instruction with {@code keyword}, the one in force at the end of the stage. */
    Instruction last(String keyword) {
      List<Instruction> all = all(keyword);
      if (all.isEmpty()) {
        throw new AssertionError("the stage FROM " + image + " has no " + keyword);
      }
      return all.get(all.size() - 1);
    }
  }

  /** Reads the Dockerfile at {@code file}. */
  static Dockerfile read(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a Dockerfile given as its lines. */
  private static Dockerfile parse(List<String> lines) {
    List<String> directives = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    boolean header = true;
    StringBuilder logical = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (header && trimmed.matches("#\\s*[a-z]+=.*")) {
        directives.add(trimmed.substring(1).strip());
        continue;
      }
      header = false;
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue; // comments and blank lines, also inside a continued instruction, as Docker reads them
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      add(stages, logical.toString().strip());
      logical.setLength(0);
    }
    if (!logical.isEmpty()) {
      throw new AssertionError("the Dockerfile ends inside a continued line: " + logical);
    }
    return new Dockerfile(List.copyOf(directives), List.copyOf(stages));
  }

  private static void add(List<Stage> stages, String line) {
    String[] parts = line.split("\\s+", 2);
    Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
    if (instruction.keyword().equals("FROM")) {
      String[] from = instruction.arguments().split("\\s+");
      boolean named = from.length == 3 && from[1].equalsIgnoreCase("AS");
      if (from.length != 1 && !named) {
        throw new AssertionError("cannot read FROM " + instruction.arguments());
      }
      stages.add(new Stage(from[0], named ? Optional.of(from[2]) : Optional.empty(), new ArrayList<>()));
      return;
    }
    if (stages.isEmpty()) {
      throw new AssertionError(instruction.keyword() + " before the first FROM");
    }
    stages.get(stages.size() - 1).instructions().add(instruction);
  }

  /** Returns the stage that makes the image: the last. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }
}
