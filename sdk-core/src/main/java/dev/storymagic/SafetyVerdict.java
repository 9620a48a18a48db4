package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of checking a piece of text.
 *
 * @param findings everything the filters found, blocking or not
 * @param policyVersion the {@link SafetyPolicy#version()} the verdict was reached under
 */
public record SafetyVerdict(List<SafetyFinding> findings, String policyVersion) {
  public SafetyVerdict {
    findings = List.copyOf(requireNonNull(findings, "findings"));
    requireNonNull(policyVersion, "policyVersion");
  }

  /** A verdict with nothing found. */
  public static SafetyVerdict clean(String policyVersion) {
    return new SafetyVerdict(List.of(), policyVersion);
  }

  /** True when no finding blocks. */
  public boolean allowed() {
    return findings.stream().noneMatch(SafetyFinding::blocking);
  }

  public boolean blocked() {
    return !allowed();
  }

  /** The findings that block. */
  public List<SafetyFinding> violations() {
    return findings.stream().filter(SafetyFinding::blocking).toList();
  }

  /** The categories that block, in declaration order. */
  public Set<SafetyCategory> violationTypes() {
    Set<SafetyCategory> types = EnumSet.noneOf(SafetyCategory.class);
    for (SafetyFinding f : findings) {
      if (f.blocking()) {
        types.add(f.category());
      }
    }
    return types;
  }

  /** A verdict holding the findings of both, under this verdict's policy version. */
  public SafetyVerdict merge(SafetyVerdict other) {
    List<SafetyFinding> all = new ArrayList<>(findings);
    all.addAll(other.findings);
    return new SafetyVerdict(all, policyVersion);
  }
}
