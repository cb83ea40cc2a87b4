package dev.mole.sandbox.internal.runners;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CppRunnerTest {

    @Test
    void precompilesExactlyTheProgramsOwnLeadingSystemIncludes() {
        String src = "/*\nReturn length of given string\n*/\n#include<stdio.h>\n#include <string>\nusing namespace std;\nint strlen(string s){\n#include<math.h>\n";
        assertThat(CppRunner.leadingIncludes(src)).contains(List.of("#include <stdio.h>", "#include <string>"));
    }

    @Test
    void anythingUnusualBeforeTheCodeMeansNoPrecompiledHeader() {
        assertThat(CppRunner.leadingIncludes("#include \"local.h\"\nint x;\n")).isEmpty();
        assertThat(CppRunner.leadingIncludes("#define N 3\n#include<vector>\n")).isEmpty();
        assertThat(CppRunner.leadingIncludes("#include<../../etc/shadow>\n")).isEmpty();
        assertThat(CppRunner.leadingIncludes("int main(){}\n")).isEmpty();
    }
}
