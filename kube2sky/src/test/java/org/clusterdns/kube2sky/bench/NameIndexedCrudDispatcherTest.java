package org.clusterdns.kube2sky.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clusterdns.kube2sky.testing.MockApiServer;
import org.clusterdns.kube2sky.watch.ClusterInformers;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The benchmark's mock API server answers lists in pages, as an API server does. */
class NameIndexedCrudDispatcherTest {
  private final MockApiServer server = MockApiServer.start(new NameIndexedCrudDispatcher());
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  private void createServices(int count) {
    for (int i = 0; i < count; i++) {
      Service service = new ServiceBuilder().withNewMetadata().withNamespace("ns-" + i % 3).withName("svc-" + i)
          .endMetadata().withNewSpec().withClusterIP("10.0." + i / 250 + "." + i % 250).endSpec().build();
      client.services().inNamespace("ns-" + i % 3).resource(service).create();
    }
  }

  @Test
  void aListWithALimitComesInPagesThatTogetherHoldEveryObjectOnce() {
    createServices(25);

    List<String> names = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      ServiceList page = client.services().inAnyNamespace()
          .list(new ListOptionsBuilder().withLimit(10L).withContinue(token).build());
      page.getItems().forEach(service -> names.add(service.getMetadata().getName()));
      pageSizes.add(page.getItems().size());
      token = page.getMetadata().getContinue();
    } while (token != null);

    assertThat(pageSizes).containsExactly(10, 10, 5);
    assertThat(names).doesNotHaveDuplicates().hasSize(25);
  }

  @Test
  void aListWithoutALimitComesWhole() {
    createServices(25);

    ServiceList list = client.services().inAnyNamespace().list();

    assertThat(list.getItems()).hasSize(25);
    assertThat(list.getMetadata().getContinue()).isNull();
  }

  @Test
  void kube2skysInformersListEveryServiceThroughSeveralPages() throws Exception {
    createServices(1200);
    while (server.takeRequest(0, TimeUnit.SECONDS) != null) {
      // Forget the creates: only the informers' requests count below.
    }
    ClusterInformers informers = new ClusterInformers(client, (key, nanos) -> { });
    try {
      informers.start().get(30, TimeUnit.SECONDS);

      assertThat(informers.services()).hasSize(1200).contains(new ServiceKey("ns-2", "svc-1199"));
    } finally {
      informers.close();
    }
    List<String> lists = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(0, TimeUnit.SECONDS); request != null;
        request = server.takeRequest(0, TimeUnit.SECONDS)) {
      if (request.getPath().startsWith("/api/v1/services") && !request.getPath().contains("watch=true")) {
        lists.add(request.getPath());
      }
    }
    assertThat(lists).hasSize(3).allMatch(path -> path.contains("limit=500"));
  }
}
