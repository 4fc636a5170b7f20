// tag::findings[]
package com.example.research;

import java.util.List;

public record Findings(String topic, List<String> points) {
}
// end::findings[]
