package dev.agentgateway.bench;

import dev.agentgateway.spring.provider.ChatModelLlmClient;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the OpenAI adapter's extra time over raw Spring AI goes ({@code h3 − h1}): the same stub
 * and models as the HTTP benchmarks, five ways of making one call, interleaved in rounds of 500
 * calls (the first 20 of 40 rounds are warm-up), medians of single calls. Not a JMH benchmark: a
 * diagnostic that separates the request/response mapping from the hand-off to the provider pool.
 *
 * <pre>java -Xms1g -Xmx1g -cp gateway-bench/target/benchmarks.jar dev.agentgateway.bench.HttpProbe</pre>
 */
public final class HttpProbe {

    private HttpProbe() {
    }

    @SuppressWarnings("removal")
    public static void main(String[] args) throws Exception {
        CallOverhead.OpenAiHttp h = new CallOverhead.OpenAiHttp();
        h.setUp();
        ChatModel adapterModel = ((ChatModelLlmClient) h.adapter).chatModel();
        // the adapter's ChatModel and mapping, without a time-out: the call stays on the caller's thread
        LlmClient callerThread = new ChatModelLlmClient(adapterModel, null);
        // a pool like ProviderCallExecutor's: cached threads, direct hand-off
        ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        boolean[] flip = {false};
        Callable<String> prompt = () -> (flip[0] = !flip[0]) ? Fixtures.PROMPT_A : Fixtures.PROMPT_B;
        Map<String, Callable<Object>> ways = new LinkedHashMap<>();
        ways.put("A raw OpenAiChatModel.call(new Prompt(text))", () -> h.raw.call(new Prompt(prompt.call())));
        ways.put("B raw, with per-request options (defaults.mutate().build())",
                () -> h.raw.call(new Prompt(prompt.call(), h.raw.getDefaultOptions().mutate().build())));
        ways.put("E raw, handed to a cached pool and waited for", () -> {
            String text = prompt.call();
            return pool.submit(() -> h.raw.call(new Prompt(text))).get();
        });
        ways.put("C adapter's ChatModel + mapping, no time-out (caller thread)", () -> callerThread.complete(request(prompt.call())));
        ways.put("D adapter as the factory builds it (time-out 60 s: provider pool)", () -> h.adapter.complete(request(prompt.call())));
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (int round = 0; round < 40; round++) {
            for (Map.Entry<String, Callable<Object>> way : ways.entrySet()) {
                List<Long> list = times.computeIfAbsent(way.getKey(), k -> new ArrayList<>());
                for (int i = 0; i < 500; i++) {
                    long start = System.nanoTime();
                    way.getValue().call();
                    long elapsed = System.nanoTime() - start;
                    if (round >= 20) {
                        list.add(elapsed);
                    }
                }
            }
        }
        times.forEach((way, list) -> {
            Collections.sort(list);
            System.out.printf(Locale.ROOT, "%-68s median %,9d ns  p90 %,9d ns%n", way, list.get(list.size() / 2),
                    list.get(list.size() * 9 / 10));
        });
        h.tearDown();
        pool.shutdownNow();
        System.exit(0); // the SDK's HTTP client keeps threads of its own
    }

    private static LlmRequest request(String text) {
        return new LlmRequest(CallOverhead.OpenAiHttp.PROVIDER, Fixtures.MODEL, List.of(LlmMessage.user(text)),
                Fixtures.offeredTools(), null, Fixtures.MAX_TOKENS);
    }
}
